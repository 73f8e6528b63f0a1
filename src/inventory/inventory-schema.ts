// The shape of inventory.yaml as written by people (before defaults and ${VAR} expansion are
// resolved). One zod schema drives validation and schema/inventory.schema.json.
import { z } from 'zod';
import { showValue, withHint } from './problem.js';
import { kubeletLabelRefusal, nodeLabelFlagProblem, nodeTaintFlagProblem, type LabelProblem } from './node-labels.js';
import * as rules from './value-rules.js';
import { REGISTRIES_KEYS, registriesSchema } from './registries-schema.js';

type Check = (value: string) => boolean;

/** How a scalar of the wrong type reads: `name: 123` is a number to YAML, not text. */
function typeMessage(input: unknown, noun: string, shown: string): string {
  if (input === undefined) return 'is required';
  if (typeof input === 'number' || typeof input === 'boolean') return `${shown} is read by YAML as a ${typeof input}, not as text`;
  return `${shown} is not ${noun}`;
}

interface RuleOptions {
  /** Never show the value (the token). */
  secret?: boolean;
  /** The rule as a regular expression: also written into the JSON Schema as `pattern`. */
  pattern?: RegExp;
  /** A hint fitted to the bad value (why a K3s version cannot exist). */
  explain?: (value: string) => string;
}

/** A string that must satisfy a rule; the message names the bad value, the hint what is allowed. */
function ruledString(check: Check, noun: string, hint: string, options: RuleOptions = {}) {
  const describe = (input: unknown) => (options.secret ? 'the value' : showValue(input));
  const quoteHint = (input: unknown) =>
    typeof input === 'number' || typeof input === 'boolean' ? `put it in quotes if it is meant as text${options.secret ? '' : ` ("${String(input)}")`}; ${hint}` : hint;
  const base = z.string({ error: (issue) => withHint(typeMessage(issue.input, noun, describe(issue.input)), quoteHint(issue.input)) });
  const bad = (issue: { input?: unknown }) => withHint(`${describe(issue.input)} is not ${noun}`, options.explain?.(String(issue.input)) ?? hint);
  return options.pattern ? base.regex(options.pattern, { error: bad }) : base.refine(check, { error: bad });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, noun: string) {
  return z.enum(values, {
    error: (issue) => withHint(issue.input === undefined ? 'is required' : `${showValue(issue.input)} is not ${noun}`, `allowed: ${values.join(', ')}`),
  });
}

function bool(noun: string) {
  return z.boolean({ error: (issue) => withHint(`${showValue(issue.input)} is not ${noun}`, 'allowed: true, false') });
}

function integer(noun: string, min: number, max: number) {
  const hint = `a whole number from ${min} to ${max}`;
  return z
    .number({ error: (issue) => withHint(`${showValue(issue.input)} is not ${noun}`, hint) })
    .int({ error: (issue) => withHint(`${showValue(issue.input)} is not ${noun}`, hint) })
    .min(min, { error: (issue) => withHint(`${showValue(issue.input)} is too small for ${noun}`, hint) })
    .max(max, { error: (issue) => withHint(`${showValue(issue.input)} is too large for ${noun}`, hint) });
}

const ADDRESS_HINT = 'an IPv4 address, an IPv6 address or a DNS name';
const address = (noun: string) => ruledString(rules.isAddress, noun, ADDRESS_HINT);
const localPath = (noun: string) => ruledString(rules.isLocalPath, noun, 'a file path, relative to the inventory file or starting with ~/ or /');

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** K3s flags as config.yaml keys: names `[a-z0-9-]+`, values scalars or lists of scalars. */
export const flagMapSchema = z
  .record(z.string(), z.unknown(), { error: (issue) => withHint(`${showValue(issue.input)} is not a map of flags`, 'flag-name: value, as in /etc/rancher/k3s/config.yaml') })
  .superRefine((flags, ctx) => {
    for (const [name, value] of Object.entries(flags)) {
      if (!rules.isFlagName(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          input: name,
          message: withHint(`${showValue(name)} is not a K3s flag name`, 'lowercase letters, digits and dashes, without leading dashes (e.g. cluster-cidr)'),
        });
        continue;
      }
      const items = Array.isArray(value) ? value : [value];
      const scalarHint = 'a string, number or boolean, or a list of them';
      if (!items.every(isScalar)) {
        ctx.addIssue({ code: 'custom', path: [name], input: value, message: withHint(`${showValue(value)} is not a valid flag value`, scalarHint) });
      } else if (items.some((item) => typeof item === 'string' && !rules.isSafeFlagString(item))) {
        ctx.addIssue({ code: 'custom', path: [name], input: value, message: withHint('the value contains a newline or NUL character', 'flag values are single-line text') });
      } else if (name === 'node-label' || name === 'node-taint') {
        const check = name === 'node-label' ? nodeLabelFlagProblem : nodeTaintFlagProblem;
        items.forEach((item, index) => {
          const problem: LabelProblem | undefined = check(String(item));
          if (problem) ctx.addIssue({ code: 'custom', path: Array.isArray(value) ? [name, index] : [name], input: item, message: withHint(problem.message, problem.hint) });
        });
      }
    }
  })
  .describe('K3s flags written to /etc/rancher/k3s/config.yaml: flag name without dashes → scalar or list');

/** Kubernetes node labels. Numbers and booleans are accepted and become strings. */
export const labelsSchema = z
  .record(z.string(), z.unknown(), { error: (issue) => withHint(`${showValue(issue.input)} is not a map of labels`, 'key: value') })
  .superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      const refusal = rules.isLabelKey(key) ? kubeletLabelRefusal(key) : undefined;
      if (!rules.isLabelKey(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          input: key,
          message: withHint(`${showValue(key)} is not a valid label key`, 'optional DNS prefix and "/", then ≤63 characters of [A-Za-z0-9._-] starting and ending with a letter or digit'),
        });
      } else if (refusal) {
        ctx.addIssue({ code: 'custom', path: [key], input: key, message: withHint(refusal.message, refusal.hint) });
      }
      const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
      if (typeof text !== 'string' && value !== null) {
        ctx.addIssue({ code: 'custom', path: [key], input: value, message: withHint(`${showValue(value)} is not a valid label value`, 'text of ≤63 characters') });
      } else if (typeof text === 'string' && !rules.isLabelValue(text)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          input: value,
          message: withHint(`${showValue(value)} is not a valid label value`, 'empty, or ≤63 characters of [A-Za-z0-9._-] starting and ending with a letter or digit'),
        });
      }
    }
  })
  .describe('Kubernetes node labels, key: value');

export const sshSchema = z.strictObject(
  {
    user: ruledString(rules.isUserName, 'a user name', 'a login name such as pi or ubuntu', { pattern: rules.USER_NAME }).optional().describe('Login user (default: your local user name)'),
    port: integer('a port', 1, 65535).optional().describe('SSH port (default 22)'),
    identityFile: localPath('a key file path').optional().describe('Private key; checked when connecting, not at dry-run'),
    knownHostsFile: localPath('a known_hosts path').optional().describe('Host keys are checked against this file (default ~/.ssh/known_hosts)'),
    proxyJump: ruledString(rules.isProxyJump, 'a ProxyJump', '[user@]host[:port], comma-separated for several hops').optional().describe('Bastion, as OpenSSH ProxyJump'),
  },
  { error: (issue) => withHint(`${showValue(issue.input)} is not a map of SSH settings`, 'user, port, identityFile, knownHostsFile, proxyJump') },
);

const binarySchema = z.union(
  [
    localPath('a binary path'),
    z.strictObject({
      amd64: localPath('a binary path').optional(),
      arm64: localPath('a binary path').optional(),
      arm: localPath('a binary path').optional(),
    }),
  ],
  { error: (issue) => withHint(`${showValue(issue.input)} is not a binary path or a map of them`, 'a path, or { amd64: path, arm64: path, arm: path }') },
);

export const installSchema = z
  .strictObject(
    {
      script: localPath('a script path').optional().describe('Local install.sh uploaded instead of downloading get.k3s.io'),
      binary: binarySchema.optional().describe('Local k3s binary (or one per arch) uploaded instead of downloaded'),
    },
    { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, 'script, binary') },
  )
  .describe('Air-gapped install: local files uploaded to the hosts');

export const k3sSchema = z
  .strictObject(
    {
      version: ruledString(rules.isK3sVersion, 'a K3s version', 'like v1.31.4+k3s1', { pattern: rules.K3S_VERSION, explain: rules.k3sVersionProblem }).optional(),
      channel: ruledString(rules.isK3sChannel, 'a K3s channel', 'stable, latest, testing or a minor such as v1.31', { pattern: rules.K3S_CHANNEL, explain: rules.k3sChannelProblem }).optional(),
    },
    { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, '{ version: v1.31.4+k3s1 } or { channel: stable }') },
  )
  .describe('Which K3s to install: a pinned version or a channel (default channel stable)');

export const diskSchema = z.strictObject(
  {
    maxFsyncP99Ms: z
      .number({ error: (issue) => withHint(`${showValue(issue.input)} is not a number of milliseconds`, 'a positive number, e.g. 10') })
      .positive({ error: (issue) => withHint(`${showValue(issue.input)} is not a positive number`, 'a positive number, e.g. 10') })
      .optional()
      .describe('A server disk whose fdatasync p99 is above this is slow (default 10 ms, etcd FAQ)'),
    onSlow: oneOf(['refuse', 'warn'], 'a slow-disk policy').optional().describe('What to do with a slow server disk (default refuse)'),
  },
  { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, 'maxFsyncP99Ms, onSlow') },
);

export const vipSchema = z
  .strictObject(
    {
      address: ruledString((value) => rules.isAddress(value) && !rules.isDnsName(value), 'a VIP address', "a free IPv4 (or IPv6) address on the servers' network, outside the DHCP range"),
      interface: ruledString(rules.isInterfaceName, 'a network interface name', "the servers' interface on that network, e.g. eth0"),
      image: ruledString(rules.isImageRef, 'an image reference', 'e.g. ghcr.io/kube-vip/kube-vip:v0.8.9').optional().describe('kube-vip image (default: the release fleet pins)'),
    },
    { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, '{ address: 192.168.1.50, interface: eth0 }') },
  )
  .describe('A virtual IP on the servers, provided by kube-vip (ARP, leader election); agents register through it');

export const clusterSchema = z.strictObject(
  {
    name: ruledString(rules.isDnsLabel, 'a cluster name', 'lowercase letters, digits and dashes, ≤63 characters, starting and ending with a letter or digit', { pattern: rules.DNS_LABEL }),
    token: ruledString(rules.isTokenText, 'a usable token', 'visible ASCII characters without spaces; better: ${K3S_TOKEN} or tokenFile', { secret: true })
      .optional()
      .describe('Cluster token; ${VAR} reads the environment'),
    tokenFile: localPath('a token file path').optional().describe('File holding the cluster token (exclusive with token)'),
    k3s: k3sSchema.optional(),
    install: installSchema.optional(),
    registrationAddress: address('a registration address').optional().describe("Fixed address (VIP, load balancer, DNS) in every server's tls-san; agents register through it"),
    vip: vipSchema.optional(),
    tlsSan: z
      .array(ruledString(rules.isTlsSan, 'a TLS SAN', `${ADDRESS_HINT}, or *.domain`), { error: (issue) => withHint(`${showValue(issue.input)} is not a list`, 'a list of addresses') })
      .optional()
      .describe('Extra subject alternative names for the server certificates'),
    servers: integer('a server count', 1, 99).optional().describe('How many servers to pick among role: auto hosts'),
    allowEvenServers: bool('true or false').optional().describe('Allow an even server count (warned: it raises quorum without raising fault tolerance)'),
    config: flagMapSchema.optional().describe('Server flags for every server'),
    agentConfig: flagMapSchema.optional().describe('Agent flags for every agent'),
    disk: diskSchema.optional(),
    concurrency: integer('a concurrency', 1, 50).optional().describe('Hosts worked on at once (default 10)'),
    agentsWaitFor: oneOf(['first-server', 'all-servers'], 'what agents wait for')
      .optional()
      .describe('Agents start once the first server is ready (default first-server), or only after every server has joined (all-servers)'),
    registries: registriesSchema.optional(),
  },
  { error: (issue) => withHint(issue.input === undefined ? 'is required' : `${showValue(issue.input)} is not a map`, 'cluster: { name: …, … }') },
);

export const hostSchema = z.strictObject(
  {
    name: ruledString(rules.isNodeName, 'a node name', 'lowercase letters, digits, dashes and dots (DNS-1123 subdomain), e.g. pi-1'),
    address: address('an address'),
    role: oneOf(['server', 'agent', 'auto'], 'a role').optional().describe('server, agent or auto (default auto: fleet decides)'),
    init: bool('true or false').optional().describe('This server starts the cluster (cluster-init)'),
    kind: oneOf(['pi', 'x86'], 'a machine kind').optional(),
    disk: oneOf(['sd', 'emmc', 'ssd', 'nvme'], 'a disk kind').optional().describe('Disk hint (pi defaults to sd, x86 to ssd)'),
    ssh: sshSchema.optional(),
    config: flagMapSchema.optional().describe('Flags for this host only'),
    labels: labelsSchema.optional(),
    registries: registriesSchema.optional().describe("Merged over cluster.registries for this host: its mirrors and configs replace the cluster's of the same name"),
  },
  { error: (issue) => withHint(`${showValue(issue.input)} is not a host`, 'a map with name, address and optional role, init, kind, disk, ssh, config, labels, registries') },
);

export const inventorySchema = z
  .strictObject(
    {
      cluster: clusterSchema,
      defaults: z.strictObject({ ssh: sshSchema.optional() }, { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, 'defaults: { ssh: { … } }') }).optional(),
      hosts: z
        .array(hostSchema, {
          error: (issue) => withHint(issue.input === undefined ? 'is required' : `${showValue(issue.input)} is not a list of hosts`, 'hosts: [ { name: pi-1, address: 192.168.1.11 }, … ]'),
        })
        .min(1, { error: () => withHint('lists no hosts', 'at least one host') }),
    },
    { error: (issue) => withHint(`the document is ${showValue(issue.input)}, not a map`, 'top-level keys: cluster, defaults, hosts') },
  )
  .describe('fleet inventory: the machines of one K3s cluster');

export type RawInventory = z.infer<typeof inventorySchema>;
export type RawHost = z.infer<typeof hostSchema>;

/** Known keys of every map, by path pattern (`hosts[]` for any host), for "did you mean". */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(inventorySchema.shape),
  cluster: Object.keys(clusterSchema.shape),
  'cluster.k3s': Object.keys(k3sSchema.shape),
  'cluster.install': Object.keys(installSchema.shape),
  'cluster.install.binary': ['amd64', 'arm64', 'arm'],
  'cluster.disk': Object.keys(diskSchema.shape),
  'cluster.vip': Object.keys(vipSchema.shape),
  defaults: ['ssh'],
  'defaults.ssh': Object.keys(sshSchema.shape),
  'hosts[]': Object.keys(hostSchema.shape),
  'hosts[].ssh': Object.keys(sshSchema.shape),
  'cluster.registries': REGISTRIES_KEYS.registries,
  'hosts[].registries': REGISTRIES_KEYS.registries,
};
