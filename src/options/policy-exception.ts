/** A deliberate exception to one rule for one resource. */
export interface PolicyException {
  /** Rule ID, such as `sql-public-ip`. */
  readonly rule: string;
  /** Terraform address of the resource, such as `google_sql_database_instance.api_instance`. */
  readonly resource: string;
  /** Environment the exception applies to. */
  readonly environment: string;
  /** Reason the exception is acceptable, recorded in the Terraform JSON. */
  readonly reason: string;
}

