/**
 * Location of the Terraform state that a `GcpPlatformProject` writes. Each
 * client environment's Terraform reads the network, the connector of its
 * region and the registry's URL from there, so no client repo copies them.
 */
export interface PlatformReference {
  /**
   * Cloud Storage bucket of the platform's Terraform state, the platform
   * repo's `stateBucket`. The identity that runs a client's Terraform needs
   * read access to it (`roles/storage.objectViewer`).
   */
  readonly stateBucket: string;

  /**
   * Name of the platform repo, which prefixes its state in the bucket.
   */
  readonly name: string;
}
