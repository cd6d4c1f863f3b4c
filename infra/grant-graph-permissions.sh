#!/usr/bin/env bash
# Grants the playbooks' managed identity the Microsoft Graph application permissions that an ARM
# template cannot grant, and says which Microsoft Entra directory role password resets need.
# Idempotent: permissions already granted are left as they are.
#
# Usage:
#   infra/grant-graph-permissions.sh --principal-id <object id of the managed identity> [--dry-run]
#   infra/grant-graph-permissions.sh --identity-name <name> --resource-group <rg> [--dry-run]
#
# --dry-run reads what is granted and prints what would be added, and adds nothing.
# Needs the Azure CLI, signed in (az login) to the app's tenant and cloud (az cloud set) as a
# Privileged Role Administrator (or Global Administrator): granting application permissions of
# Microsoft Graph is an admin consent.
set -euo pipefail

GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"
USER_ADMINISTRATOR_ROLE="fe930be7-5e62-47db-91af-98c3a49a38b1"

# permission -> what needs it
PERMISSIONS=(
  "IdentityRiskyUser.ReadWrite.All"    # confirm-risky-user: confirm users compromised, read risky users
  "User.ReadWrite.All"                 # confirm-risky-user: read users, revoke sessions, reset passwords
  "Policy.ReadWrite.ConditionalAccess" # block-ip: the named location of blocked addresses
)

usage() {
  cat <<'TEXT'
Usage:
  infra/grant-graph-permissions.sh --principal-id <object id of the managed identity> [--dry-run]
  infra/grant-graph-permissions.sh --identity-name <name> --resource-group <rg> [--dry-run]

Grants the managed identity the Microsoft Graph application permissions
IdentityRiskyUser.ReadWrite.All, User.ReadWrite.All and Policy.ReadWrite.ConditionalAccess,
skipping those already granted. --dry-run changes nothing.
TEXT
  exit "${1:-2}"
}

principal_id=""
identity_name=""
resource_group=""
dry_run=false

while [ $# -gt 0 ]; do
  case "$1" in
    --principal-id) [ $# -ge 2 ] || usage; principal_id="$2"; shift 2 ;;
    --identity-name) [ $# -ge 2 ] || usage; identity_name="$2"; shift 2 ;;
    --resource-group) [ $# -ge 2 ] || usage; resource_group="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage 0 ;;
    *) echo "error: unknown argument '$1'" >&2; usage ;;
  esac
done

command -v az >/dev/null 2>&1 || { echo "error: the Azure CLI (az) is needed" >&2; exit 2; }

if [ -z "$principal_id" ]; then
  if [ -z "$identity_name" ] || [ -z "$resource_group" ]; then
    echo "error: give --principal-id, or --identity-name with --resource-group" >&2
    usage
  fi
  principal_id=$(az identity show --name "$identity_name" --resource-group "$resource_group" \
    --query principalId --output tsv)
fi
if ! [[ "$principal_id" =~ ^[0-9a-fA-F-]{36}$ ]]; then
  echo "error: '$principal_id' is not an object id" >&2
  exit 2
fi

graph=$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)
graph="${graph%/}"
graph_sp=$(az ad sp show --id "$GRAPH_APP_ID" --query id --output tsv)
granted=$(az rest --method GET \
  --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
  --query "value[?resourceId=='$graph_sp'].appRoleId" --output tsv)

echo "identity: $principal_id"
for permission in "${PERMISSIONS[@]}"; do
  # The app role id is looked up by name in this tenant's Microsoft Graph service principal.
  role_id=$(az ad sp show --id "$GRAPH_APP_ID" \
    --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" \
    --output tsv)
  if [ -z "$role_id" ]; then
    echo "error: Microsoft Graph has no application permission '$permission'" >&2
    exit 1
  fi
  if grep -qix "$role_id" <<<"$granted"; then
    echo "already: $permission ($role_id)"
  elif [ "$dry_run" = true ]; then
    echo "planned: $permission ($role_id)"
  else
    az rest --method POST \
      --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
      --headers "Content-Type=application/json" \
      --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role_id\"}" \
      --output none
    echo "done: $permission ($role_id)"
  fi
done

has_role=$(az rest --method GET \
  --url "$graph/v1.0/roleManagement/directory/roleAssignments?\$filter=principalId eq '$principal_id' and roleDefinitionId eq '$USER_ADMINISTRATOR_ROLE'" \
  --query "length(value)" --output tsv 2>/dev/null || echo "unknown")

cat <<TEXT

Password resets (confirm-risky-user, action 'reset') also need a Microsoft Entra directory role:
with application permissions, Microsoft Graph lets an app set another user's password only when
the app holds User.ReadWrite.All AND at least the User Administrator role. User Administrator
can reset the passwords of users without an admin role (and of a few limited admins); resetting
an administrator's password needs Privileged Authentication Administrator, a far broader role
that this app should not get: keep administrators in PROTECTED_GROUPS instead.
User Administrator assignments found for this identity: $has_role
This script does not assign directory roles. To assign it (Entra admin center: Roles and
administrators > User Administrator > Add assignments), or:
  az rest --method POST --url "$graph/v1.0/roleManagement/directory/roleAssignments" \\
    --headers "Content-Type=application/json" \\
    --body '{"principalId":"$principal_id","roleDefinitionId":"$USER_ADMINISTRATOR_ROLE","directoryScopeId":"/"}'
TEXT
