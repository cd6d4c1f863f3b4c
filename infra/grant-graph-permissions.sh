#!/usr/bin/env bash
# Grants the Function App's system-assigned managed identity the application permissions that an
# ARM template cannot grant (Microsoft Graph, and with --mde the Microsoft Defender for Endpoint
# API), and says which Microsoft Entra directory role password resets need.
# Idempotent: permissions already granted are left as they are.
#
# Usage:
#   infra/grant-graph-permissions.sh --principal-id <object id of the app's identity> [--mde] [--dry-run]
#   infra/grant-graph-permissions.sh --app-name <appName> --resource-group <rg> [--mde] [--dry-run]
#
# The object id is the template's output identityPrincipalId (the Function App's system-assigned
# identity, which no other resource can use); --app-name reads it from the Function App.
# --mde also grants Ti.ReadWrite.All on the Defender for Endpoint API (the WindowsDefenderATP
# enterprise application), for block-ip with BLOCK_MDE=true.
# --dry-run reads what is granted and prints what would be added, and adds nothing.
# Needs the Azure CLI, signed in (az login) to the app's tenant and cloud (az cloud set) as a
# Privileged Role Administrator (or Global Administrator): granting application permissions is an
# admin consent.
set -euo pipefail

GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"
# The Defender for Endpoint API's application (WindowsDefenderATP), the audience of
# https://api.securitycenter.microsoft.com; its service principal exists once the tenant has MDE.
MDE_APP_ID="fc780465-2017-40d4-a0c5-307022471b92"
USER_ADMINISTRATOR_ROLE="fe930be7-5e62-47db-91af-98c3a49a38b1"

# Microsoft Graph permission -> what needs it
GRAPH_PERMISSIONS=(
  "IdentityRiskyUser.ReadWrite.All"    # confirm-risky-user: confirm users compromised
  "User.ReadWrite.All"                 # confirm-risky-user: read users, revoke sessions, reset passwords
  "Policy.Read.All"                    # block-ip: read the named location (Graph asks for both)
  "Policy.ReadWrite.ConditionalAccess" # block-ip: update the named location of blocked addresses
  "GroupMember.Read.All"               # confirm-risky-user: read PROTECTED_GROUPS' members, transitively
  "RoleManagement.Read.Directory"      # confirm-risky-user: read who holds PROTECTED_ROLES (privileged roles)
  "SecurityAlert.ReadWrite.All"        # close-incident, reconcile: read and resolve Defender XDR alerts
  "SecurityIncident.Read.All"          # close-incident, reconcile: read Defender XDR incidents and their alerts
)
# Defender for Endpoint API permission -> what needs it (only with --mde)
MDE_PERMISSIONS=(
  "Ti.ReadWrite.All"                   # block-ip: read all indicators, submit Block indicators
)

usage() {
  cat <<'TEXT'
Usage:
  infra/grant-graph-permissions.sh --principal-id <object id of the app's identity> [--mde] [--dry-run]
  infra/grant-graph-permissions.sh --app-name <appName> --resource-group <rg> [--mde] [--dry-run]

Grants the Function App's system-assigned identity the Microsoft Graph application permissions
IdentityRiskyUser.ReadWrite.All, User.ReadWrite.All, Policy.Read.All,
Policy.ReadWrite.ConditionalAccess, GroupMember.Read.All, RoleManagement.Read.Directory,
SecurityAlert.ReadWrite.All and SecurityIncident.Read.All and, with --mde, the Defender for Endpoint API permission Ti.ReadWrite.All, skipping those already
granted. --dry-run changes nothing.
TEXT
  exit "${1:-2}"
}

principal_id=""
app_name=""
resource_group=""
dry_run=false
mde=false

while [ $# -gt 0 ]; do
  case "$1" in
    --principal-id) [ $# -ge 2 ] || usage; principal_id="$2"; shift 2 ;;
    --app-name) [ $# -ge 2 ] || usage; app_name="$2"; shift 2 ;;
    --resource-group) [ $# -ge 2 ] || usage; resource_group="$2"; shift 2 ;;
    --mde) mde=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage 0 ;;
    *) echo "error: unknown argument '$1'" >&2; usage ;;
  esac
done

command -v az >/dev/null 2>&1 || { echo "error: the Azure CLI (az) is needed" >&2; exit 2; }

if [ -z "$principal_id" ]; then
  if [ -z "$app_name" ] || [ -z "$resource_group" ]; then
    echo "error: give --principal-id, or --app-name with --resource-group" >&2
    usage
  fi
  # The Function App's system-assigned identity: the one that holds the app's roles.
  principal_id=$(az functionapp identity show --name "$app_name" --resource-group "$resource_group" \
    --query principalId --output tsv)
fi
if ! [[ "$principal_id" =~ ^[0-9a-fA-F-]{36}$ ]]; then
  echo "error: '$principal_id' is not an object id" >&2
  exit 2
fi

graph=$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)
graph="${graph%/}"

# grant <application id of the API> <its name> <permission>...
# Adds the identity's missing app role assignments on that API's service principal.
grant() {
  local app_id="$1" name="$2"
  shift 2
  local resource_sp granted permission role_id
  if ! resource_sp=$(az ad sp show --id "$app_id" --query id --output tsv) || [ -z "$resource_sp" ]; then
    echo "error: no service principal of $name ($app_id) in this tenant; is the service set up in it?" >&2
    exit 1
  fi
  granted=$(az rest --method GET \
    --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
    --query "value[?resourceId=='$resource_sp'].appRoleId" --output tsv)
  echo "$name:"
  for permission in "$@"; do
    # The app role id is looked up by name in this tenant's service principal of the API.
    role_id=$(az ad sp show --id "$app_id" \
      --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" \
      --output tsv)
    if [ -z "$role_id" ]; then
      echo "error: $name has no application permission '$permission'" >&2
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
        --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$resource_sp\",\"appRoleId\":\"$role_id\"}" \
        --output none
      echo "done: $permission ($role_id)"
    fi
  done
}

echo "identity: $principal_id"
grant "$GRAPH_APP_ID" "Microsoft Graph" "${GRAPH_PERMISSIONS[@]}"
if [ "$mde" = true ]; then
  grant "$MDE_APP_ID" "WindowsDefenderATP" "${MDE_PERMISSIONS[@]}"
else
  echo "WindowsDefenderATP: not asked (--mde grants ${MDE_PERMISSIONS[*]} for block-ip with BLOCK_MDE=true)"
fi

has_role=$(az rest --method GET \
  --url "$graph/v1.0/roleManagement/directory/roleAssignments?\$filter=principalId eq '$principal_id' and roleDefinitionId eq '$USER_ADMINISTRATOR_ROLE'" \
  --query "length(value)" --output tsv 2>/dev/null || echo "unknown")

cat <<TEXT

Password resets (confirm-risky-user, action 'reset') also need a Microsoft Entra directory role:
with application permissions, Microsoft Graph lets an app set another user's password only when
the app holds User.ReadWrite.All AND at least the User Administrator role. User Administrator
can reset the passwords of users without an admin role (and of a few limited admins); resetting
an administrator's password needs Privileged Authentication Administrator, a far broader role
that this app should not get. Holders of privileged directory roles (PROTECTED_ROLES, by default
every role Microsoft labels privileged) are never touched; keep other administrators in
PROTECTED_GROUPS.
User Administrator assignments found for this identity: $has_role
To narrow it, assign it on an administrative unit that holds the users the playbook may reset
(directoryScopeId "/administrativeUnits/<id>") instead of the whole directory ("/").
This script does not assign directory roles. To assign it (Entra admin center: Roles and
administrators > User Administrator > Add assignments), or:
  az rest --method POST --url "$graph/v1.0/roleManagement/directory/roleAssignments" \\
    --headers "Content-Type=application/json" \\
    --body '{"principalId":"$principal_id","roleDefinitionId":"$USER_ADMINISTRATOR_ROLE","directoryScopeId":"/"}'
TEXT
