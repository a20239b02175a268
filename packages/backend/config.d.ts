export interface Config {
  litemaas?: {
    /**
     * Entity refs of the groups whose members are LiteMaaS admins under the portal's sample
     * permission policy. Defaults to `group:default/platform-team`.
     */
    adminGroups?: string[];
  };
}
