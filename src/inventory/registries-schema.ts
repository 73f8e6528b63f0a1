// cluster.registries (and a host's registries): the content of K3s's
// /etc/rancher/k3s/registries.yaml, as K3s documents it (installation/private-registry):
// `mirrors` (registry name → endpoints, rewrites) and `configs` (registry host → auth, tls).
// Credentials are secrets: a bad one is never shown in a message.
import { z } from 'zod';
import { showValue, withHint } from './problem.js';

/** docker.io, registry.example.com:5000, 10.0.0.5:5000, or "*" (every registry; K3s ≥ v1.26). */
export const REGISTRY_NAME = /^(\*|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?)$/;
const ENDPOINT = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;
const HOST_PATH = /^\/[^\0\n]*$/;

const text = (noun: string, hint: string, check: (value: string) => boolean) =>
  z.string({ error: (issue) => withHint(`${showValue(issue.input)} is not ${noun}`, hint) }).refine(check, { error: (issue) => withHint(`${showValue(issue.input)} is not ${noun}`, hint) });

/** A credential: only its absence or wrong type is described, never its value. */
const secret = (noun: string) =>
  z
    .string({ error: (issue) => withHint(issue.input === undefined ? 'is required' : `the ${noun} is not text`, 'put it in quotes, or better: ${VAR} from the environment') })
    .refine((value) => value.length > 0 && !/[\n\0]/.test(value), { error: () => withHint(`the ${noun} is empty or holds a newline`, 'one line of text, e.g. ${REGISTRY_PASSWORD}') });

const hostPath = (noun: string) => text(noun, 'an absolute path on the node, e.g. /etc/ssl/registry/ca.crt (K3s reads it there)', (value) => HOST_PATH.test(value));

function registryMap<T extends z.ZodType>(value: T, what: string) {
  const name = z.string().regex(REGISTRY_NAME, {
    error: (issue) => withHint(`${showValue(issue.input)} is not a registry name`, 'a host name with an optional :port (docker.io, registry.example.com:5000), or "*"'),
  });
  return z.record(name, value, {
    error: (issue) =>
      issue.code === 'invalid_key'
        ? withHint(`${showValue(issue.input)} is not a registry name`, 'a host name with an optional :port (docker.io, registry.example.com:5000), or "*"')
        : withHint(`${showValue(issue.input)} is not a map of ${what}`, 'registry name: { … }, e.g. docker.io: { endpoint: [https://mirror.example.com:5000] }'),
  });
}

export const mirrorSchema = z.strictObject(
  {
    endpoint: z
      .array(
        text('an endpoint URL', 'http:// or https:// and a host, e.g. https://mirror.example.com:5000', (value) => ENDPOINT.test(value)),
        {
          error: (issue) => withHint(`${showValue(issue.input)} is not a list of endpoints`, 'endpoint: [https://mirror.example.com:5000]'),
        },
      )
      .optional()
      .describe('Endpoints containerd tries in order (then the default endpoint)'),
    rewrite: z
      .record(z.string(), z.string({ error: (issue) => withHint(`${showValue(issue.input)} is not a replacement`, 'regular expression: replacement, e.g. "^rancher/(.*)": "mirror/rancher/$1"') }), {
        error: (issue) => withHint(`${showValue(issue.input)} is not a map of rewrites`, 'regular expression: replacement'),
      })
      .optional()
      .describe('Image name rewrites: regular expression → replacement'),
  },
  { error: (issue) => withHint(`${showValue(issue.input)} is not a mirror`, '{ endpoint: [https://…], rewrite: { … } }') },
);

export const registryAuthSchema = z.strictObject(
  {
    username: text('a user name', 'one line of text', (value) => value.length > 0 && !/[\n\0]/.test(value)).optional(),
    password: secret('password').optional().describe('Registry password; ${VAR} reads the environment'),
    auth: secret('auth token').optional().describe('base64 user:password, as in ~/.docker/config.json; ${VAR} reads the environment'),
    identitytoken: secret('identity token').optional().describe('Registry identity token; ${VAR} reads the environment'),
  },
  { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, 'username, password, auth, identitytoken') },
);

export const registryTlsSchema = z.strictObject(
  {
    cert_file: hostPath('a certificate path').optional(),
    key_file: hostPath('a key path').optional(),
    ca_file: hostPath('a CA certificate path').optional(),
    insecure_skip_verify: z.boolean({ error: (issue) => withHint(`${showValue(issue.input)} is not true or false`, 'allowed: true, false') }).optional(),
  },
  { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, 'cert_file, key_file, ca_file, insecure_skip_verify') },
);

export const registryConfigSchema = z.strictObject(
  { auth: registryAuthSchema.optional(), tls: registryTlsSchema.optional() },
  { error: (issue) => withHint(`${showValue(issue.input)} is not a registry config`, '{ auth: { … }, tls: { … } }') },
);

export const registriesSchema = z
  .strictObject(
    {
      mirrors: registryMap(mirrorSchema, 'mirrors').optional(),
      configs: registryMap(registryConfigSchema, 'registry configs').optional(),
    },
    { error: (issue) => withHint(`${showValue(issue.input)} is not a map`, 'mirrors, configs (as in /etc/rancher/k3s/registries.yaml)') },
  )
  .describe('/etc/rancher/k3s/registries.yaml on every node (K3s reads it at start): mirrors and configs');

export type RawRegistries = z.infer<typeof registriesSchema>;

export const REGISTRIES_KEYS = {
  registries: Object.keys(registriesSchema.shape),
  mirror: Object.keys(mirrorSchema.shape),
  config: Object.keys(registryConfigSchema.shape),
  auth: Object.keys(registryAuthSchema.shape),
  tls: Object.keys(registryTlsSchema.shape),
} as const;
