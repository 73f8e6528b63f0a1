// Keys other tools (Ansible, k0sctl, k3sup, RKE, Talos) use for what fleet calls something else:
// `user:` on a host, `ip:`, `hostname:`. An unknown key found here gets fleet's place for it.

/** Other tools' names for fleet's SSH keys, the same under a host's `ssh:` and under `defaults.ssh`. */
const SSH_KEYS: Record<string, string> = {
  keyPath: 'identityFile',
  key: 'identityFile',
  identity_file: 'identityFile',
  private_key: 'identityFile',
  username: 'user',
  bastion: 'proxyJump',
  jump: 'proxyJump',
  proxy_jump: 'proxyJump',
  known_hosts: 'knownHostsFile',
};

/** By map pattern (as in KNOWN_KEYS): the foreign key → where fleet wants it. */
export const OTHER_TOOLS_KEYS: Record<string, Record<string, string>> = {
  '': {
    nodes: 'hosts',
    machines: 'hosts',
    servers: 'hosts',
    inventory: 'hosts',
    all: 'hosts',
    name: 'cluster.name',
    token: 'cluster.token',
    ssh: 'defaults.ssh',
    k3s: 'cluster.k3s',
    spec: 'cluster and hosts',
  },
  cluster: {
    version: 'k3s.version',
    k3s_version: 'k3s.version',
    k3sVersion: 'k3s.version',
    channel: 'k3s.channel',
    vip: 'registrationAddress',
    endpoint: 'registrationAddress',
    apiEndpoint: 'registrationAddress',
    api: 'registrationAddress',
    server: 'registrationAddress',
    fixedRegistrationAddress: 'registrationAddress',
    'tls-san': 'tlsSan',
    tls_san: 'tlsSan',
    sans: 'tlsSan',
    token_file: 'tokenFile',
    'token-file': 'tokenFile',
    hosts: 'hosts (at the top level, not under cluster)',
    nodes: 'hosts (at the top level)',
  },
  'hosts[]': {
    user: 'ssh: { user: … }',
    ansible_user: 'ssh: { user: … }',
    ssh_user: 'ssh: { user: … }',
    username: 'ssh: { user: … }',
    ip: 'address',
    ipaddress: 'address',
    ip_address: 'address',
    ansible_host: 'address',
    host: 'address',
    addr: 'address',
    hostname: 'name (the node name; the address to reach it goes in address)',
    node_name: 'name',
    nodeName: 'name',
    port: 'ssh: { port: … }',
    ansible_port: 'ssh: { port: … }',
    ssh_port: 'ssh: { port: … }',
    key: 'ssh: { identityFile: … }',
    keyPath: 'ssh: { identityFile: … }',
    identity_file: 'ssh: { identityFile: … }',
    ssh_key: 'ssh: { identityFile: … }',
    private_key: 'ssh: { identityFile: … }',
    ansible_ssh_private_key_file: 'ssh: { identityFile: … }',
    roles: 'role (one of server, agent, auto)',
    type: 'role or kind',
    arch: 'kind (pi or x86; the architecture is read from the host)',
    node_labels: 'labels',
    nodeLabels: 'labels',
    'node-label': 'labels',
  },
  'hosts[].ssh': {
    address: 'address (on the host itself, not under ssh)',
    host: 'address (on the host itself)',
    ...SSH_KEYS,
  },
  defaults: { user: 'ssh: { user: … }', port: 'ssh: { port: … }', keyPath: 'ssh: { identityFile: … }' },
  'defaults.ssh': SSH_KEYS,
};

export function otherToolsKey(pattern: string, key: string): string | undefined {
  const table = OTHER_TOOLS_KEYS[pattern];
  return table && Object.hasOwn(table, key) ? table[key] : undefined;
}
