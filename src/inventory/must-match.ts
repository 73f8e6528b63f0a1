// Flags K3s compares between servers: a joining server whose value differs fails with
// "critical configuration value mismatch". They may only come from cluster.config.

/** Server flags that must be identical on every server of one cluster (K3S-FACTS.md). */
export const MUST_MATCH_FLAGS: readonly string[] = Object.freeze([
  'agent-token',
  'cluster-cidr',
  'cluster-dns',
  'cluster-domain',
  'disable-cloud-controller',
  'disable-helm-controller',
  'disable-network-policy',
  'disable',
  'disable-kube-proxy',
  'egress-selector-mode',
  'embedded-registry',
  'flannel-backend',
  'flannel-external-ip',
  'flannel-ipv6-masq',
  'secrets-encryption',
  'secrets-encryption-provider',
  'service-cidr',
]);

/**
 * Flags fleet writes itself (join target, bootstrap, secrets); a config map that sets one is
 * refused so the token never lives in a flag map and the cluster topology stays fleet's.
 */
export const FLEET_OWNED_FLAGS: readonly string[] = Object.freeze(['token', 'token-file', 'agent-token', 'agent-token-file', 'server', 'cluster-init', 'cluster-reset', 'node-name']);
