# shellcheck shell=bash
# Plans and applies the Terraform configuration of one environment.
# Usage: bash scripts/infra.sh plan|apply ENVIRONMENT
set -euo pipefail

REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA_DIR="infra"
# Name of the plan file that the plan command saves in infra/ENVIRONMENT. The
# apply command applies this file and nothing else.
PLAN_FILE="tfplan"

usage() {
  cat <<'EOF'
Usage: bash scripts/infra.sh COMMAND ENVIRONMENT

Commands:
  plan ENVIRONMENT    Run terraform init and terraform plan in
                      infra/ENVIRONMENT and save the plan there as tfplan.
  apply ENVIRONMENT   Apply the plan that the plan command saved, then delete
                      it. Without a saved plan nothing is applied.

ENVIRONMENT is a folder under infra/ that contains main.tf.json, for example
staging. Terraform uses the Google credentials of this machine, for example
from: gcloud auth application-default login
EOF
}

info() {
  printf 'infra: %s\n' "$*" >&2
}

fail() {
  printf 'infra: error: %s\n' "$*" >&2
  exit 1
}

usage_error() {
  printf 'infra: error: %s\n\n' "$*" >&2
  usage >&2
  exit 2
}

# Prints the environments, the folders under infra/ with a main.tf.json,
# separated by ", ".
list_environments() {
  local config names=""
  for config in "$INFRA_DIR"/*/main.tf.json; do
    [[ -f "$config" ]] || continue
    config="${config%/main.tf.json}"
    names+="${names:+, }${config#"$INFRA_DIR"/}"
  done
  printf '%s\n' "$names"
}

check_environment() {
  local environment="$1"
  if [[ "$environment" == */* || "$environment" == .* ]]; then
    usage_error "Invalid environment '$environment'. Give the name of a folder under infra/, for example staging."
  fi
  if [[ -f "$INFRA_DIR/$environment/main.tf.json" ]]; then
    return
  fi
  local environments
  environments="$(list_environments)"
  if [[ -z "$environments" ]]; then
    fail "Environment '$environment' not found: there is no infra/*/main.tf.json. Add the environment in .projenrc.ts and run npx projen to generate it."
  fi
  fail "Environment '$environment' not found: infra/$environment/main.tf.json does not exist. Environments: $environments."
}

check_terraform() {
  command -v terraform >/dev/null 2>&1 ||
    fail "terraform not found. Install Terraform (https://developer.hashicorp.com/terraform/install; Debian/Ubuntu: apt-get install terraform from HashiCorp's apt repository, macOS: brew install hashicorp/tap/terraform)."
}

terraform_init() {
  local environment="$1"
  info "Running terraform init in infra/$environment"
  if ! terraform -chdir="$INFRA_DIR/$environment" init -input=false; then
    fail "terraform init failed in infra/$environment (see Terraform's output above). It downloads the hashicorp/google provider from registry.terraform.io and opens the GCS bucket that stores the Terraform state (terraform.backend.gcs in infra/$environment/main.tf.json). It needs network access, Google credentials (gcloud auth application-default login) and read and write access to that bucket."
  fi
}

command_plan() {
  local environment="$1"
  local plan_path="$INFRA_DIR/$environment/$PLAN_FILE"
  terraform_init "$environment"
  # Delete the previous plan first, so that a failed plan leaves no outdated
  # plan for apply to apply.
  rm -f "$plan_path"
  info "Running terraform plan in infra/$environment"
  if ! terraform -chdir="$INFRA_DIR/$environment" plan -input=false -out="$PLAN_FILE"; then
    rm -f "$plan_path"
    fail "terraform plan failed in infra/$environment (see Terraform's output above). Nothing was saved."
  fi
  info "Saved the plan to $plan_path. Review it above, then apply exactly this plan with: bash scripts/infra.sh apply $environment"
}

command_apply() {
  local environment="$1"
  local plan_path="$INFRA_DIR/$environment/$PLAN_FILE"
  if [[ ! -f "$plan_path" ]]; then
    fail "No saved plan at $plan_path. Create and review one first with: bash scripts/infra.sh plan $environment"
  fi
  terraform_init "$environment"
  info "Applying the saved plan $plan_path"
  # Terraform applies a saved plan without asking for approval, and rejects
  # it if the state has changed since the plan was made.
  if ! terraform -chdir="$INFRA_DIR/$environment" apply -input=false "$PLAN_FILE"; then
    fail "terraform apply failed in infra/$environment (see Terraform's output above). If it reports a stale plan, run bash scripts/infra.sh plan $environment again."
  fi
  rm -f "$plan_path"
  info "Applied the plan and deleted $plan_path"
}

main() {
  cd "$REPO_ROOT"
  local command="${1:-}"
  case "$command" in
    plan | apply)
      [[ $# -eq 2 ]] || usage_error "$command needs exactly one argument, the environment."
      check_environment "$2"
      check_terraform
      "command_$command" "$2"
      ;;
    -h | --help | help)
      usage
      ;;
    "")
      usage_error "Missing command."
      ;;
    *)
      usage_error "Unknown command '$command'."
      ;;
  esac
}

main "$@"
