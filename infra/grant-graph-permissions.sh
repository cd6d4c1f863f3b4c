#!/usr/bin/env bash
# Grants the playbooks' managed identity the Microsoft Graph application permissions that ARM
# templates cannot grant. Idempotent: permissions already granted are left as they are.
#
#   infra/grant-graph-permissions.sh --principal-id <object id of the managed identity> [--dry-run]
#   infra/grant-graph-permissions.sh --identity-name <name> --resource-group <rg> [--dry-run]
#
# Needs the Azure CLI, signed in (az login) as a Privileged Role Administrator or a Global
# Administrator of the tenant, in the cloud the app runs in (az cloud set).
set -euo pipefail

PERMISSIONS=(
  "IdentityRiskyUser.ReadWrite.All"       # confirm-risky-user: confirm users compromised
  "User.ReadWrite.All"                    # confirm-risky-user: revoke sessions, reset passwords
  "Policy.ReadWrite.ConditionalAccess"    # block-ip: the named location of blocked addresses
)
GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"

principal_id=""
identity_name=""
resource_group=""
dry_run=false

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --principal-id) principal_id="${2:-}"; shift 2 ;;
    --identity-name) identity_name="${2:-}"; shift 2 ;;
    --resource-group) resource_group="${2:-}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage ;;
    *) echo "error: unknown argument '$1'" >&2; usage ;;
  esac
done

command -v az >/dev/null || { echo "error: the Azure CLI (az) is needed" >&2; exit 2; }

if [ -z "$principal_id" ]; then
  if [ -z "$identity_name" ] || [ -z "$resource_group" ]; then
    echo "error: give --principal-id, or --identity-name with --resource-group" >&2
    usage
  fi
  principal_id=$(az identity show --name "$identity_name" --resource-group "$resource_group" --query principalId --output tsv)
fi

graph=$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)
graph="${graph%/}"
graph_sp=$(az ad sp show --id "$GRAPH_APP_ID" --query id --output tsv)
granted=$(az rest --method GET --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
  --query "value[?resourceId=='$graph_sp'].appRoleId" --output tsv)

for permission in "${PERMISSIONS[@]}"; do
  role_id=$(az ad sp show --id "$GRAPH_APP_ID" \
    --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" --output tsv)
  if [ -z "$role_id" ]; then
    echo "error: Microsoft Graph has no application permission '$permission'" >&2
    exit 1
  fi
  if grep -qx "$role_id" <<<"$granted"; then
    echo "already: $permission"
  elif [ "$dry_run" = true ]; then
    echo "planned: $permission (app role $role_id) to $principal_id"
  else
    az rest --method POST --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
      --headers "Content-Type=application/json" \
      --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role_id\"}" \
      --output none
    echo "done: $permission"
  fi
done

cat <<TEXT

Password resets also need a Microsoft Entra directory role on the identity: User Administrator
(it resets the passwords of non-administrators; keep administrators in PROTECTED_GROUPS, since
resetting theirs needs Privileged Authentication Administrator, a far broader role). Assign it in
the Entra admin center (Roles and administrators > User Administrator > Add assignments) or:
  az rest --method POST --url "$graph/v1.0/roleManagement/directory/roleAssignments" \\
    --body '{"principalId":"$principal_id","roleDefinitionId":"fe930be7-5e62-47db-91af-98c3a49a38b1","directoryScopeId":"/"}'
TEXT
