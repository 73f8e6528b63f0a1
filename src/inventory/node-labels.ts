// What Kubernetes accepts as a node's own labels and taints at registration. Kubelet refuses to
// start with a label in the kubernetes.io / k8s.io namespaces other than the few it may set on its
// own node (k8s.io/kubernetes pkg/kubelet/apis, kubeletLabels and kubeletLabelNamespaces); K3s runs
// kubelet in-process, so such a label stops K3s from starting (k3s#10916: node-role.kubernetes.io/worker).
import { isLabelKey, isLabelValue } from './value-rules.js';

/** Label keys kubelet may set on its own node. */
export const KUBELET_LABELS: readonly string[] = [
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/instance-type',
  'beta.kubernetes.io/os',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'kubernetes.io/arch',
  'kubernetes.io/hostname',
  'kubernetes.io/os',
  'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
];

/** Namespaces (and their subdomains) under which kubelet may set any label. */
export const KUBELET_LABEL_NAMESPACES: readonly string[] = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

export const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const inDomain = (namespace: string, domain: string) => namespace === domain || namespace.endsWith(`.${domain}`);

export interface LabelProblem {
  message: string;
  hint: string;
}

const LABEL_HINT = 'optional DNS prefix and "/", then ≤63 characters of [A-Za-z0-9._-] starting and ending with a letter or digit';
const VALUE_HINT = 'empty, or ≤63 characters of [A-Za-z0-9._-] starting and ending with a letter or digit';

/** Why kubelet would refuse this label key on its own node, or undefined when it accepts it. */
export function kubeletLabelRefusal(key: string): LabelProblem | undefined {
  const slash = key.indexOf('/');
  if (slash === -1) return undefined;
  const namespace = key.slice(0, slash);
  if (!inDomain(namespace, 'kubernetes.io') && !inDomain(namespace, 'k8s.io')) return undefined;
  if (KUBELET_LABELS.includes(key) || KUBELET_LABEL_NAMESPACES.some((allowed) => inDomain(namespace, allowed))) return undefined;
  const roleHint = key.startsWith('node-role.kubernetes.io/') ? `set role labels after the node joined (kubectl label node NAME ${key}=), or use node.kubernetes.io/role; ` : '';
  return {
    message: `"${key}" is a label kubelet may not set on its own node: K3s would refuse to start`,
    hint: `${roleHint}in the kubernetes.io and k8s.io namespaces only ${KUBELET_LABEL_NAMESPACES.map((n) => `${n}/…`).join(', ')} and ${KUBELET_LABELS.join(', ')} are allowed`,
  };
}

/** Problems of one `key=value` node-label flag value (syntax, then kubelet's namespace rule). */
export function nodeLabelFlagProblem(item: string): LabelProblem | undefined {
  const eq = item.indexOf('=');
  if (eq === -1) return { message: `"${item}" is not a node label`, hint: 'key=value, e.g. node.kubernetes.io/role=worker' };
  const key = item.slice(0, eq);
  const value = item.slice(eq + 1);
  if (!isLabelKey(key)) return { message: `"${key}" is not a valid label key`, hint: LABEL_HINT };
  if (!isLabelValue(value)) return { message: `"${value}" is not a valid label value`, hint: VALUE_HINT };
  return kubeletLabelRefusal(key);
}

/** Problems of one `key[=value]:Effect` node-taint flag value. */
export function nodeTaintFlagProblem(item: string): LabelProblem | undefined {
  const colon = item.lastIndexOf(':');
  const shape = 'key[=value]:effect, e.g. dedicated=etcd:NoSchedule';
  if (colon === -1) return { message: `"${item}" is not a node taint`, hint: shape };
  const effect = item.slice(colon + 1);
  const keyValue = item.slice(0, colon);
  const eq = keyValue.indexOf('=');
  const key = eq === -1 ? keyValue : keyValue.slice(0, eq);
  const value = eq === -1 ? '' : keyValue.slice(eq + 1);
  if (!TAINT_EFFECTS.includes(effect)) return { message: `"${effect}" is not a taint effect`, hint: `one of ${TAINT_EFFECTS.join(', ')} (${shape})` };
  if (!isLabelKey(key)) return { message: `"${key}" is not a valid taint key`, hint: LABEL_HINT };
  if (!isLabelValue(value)) return { message: `"${value}" is not a valid taint value`, hint: VALUE_HINT };
  return undefined;
}
