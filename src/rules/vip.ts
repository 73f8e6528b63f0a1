// kube-vip for cluster.vip: the RBAC and DaemonSet manifests K3s deploys from the first server's
// manifests directory (/var/lib/rancher/k3s/server/manifests). Fields follow kube-vip's documented
// DaemonSet for K3s (kube-vip.io/docs/usage/k3s, installation/daemonset): ARP mode, leader election
// on a lease, control plane only (no Services), host network with NET_ADMIN/NET_RAW, scheduled on
// control-plane nodes. Pure: the planner renders, a step writes.
import { stringify } from 'yaml';
import type { VipSpec } from '../inventory/types.js';
import { SUPERVISOR_PORT } from './host-config.js';

/** The kube-vip release fleet pins; cluster.vip.image overrides it. */
export const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip:v0.8.9';
export const K3S_MANIFESTS_DIR = '/var/lib/rancher/k3s/server/manifests';
const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'kube-vip';

export interface Manifest {
  /** File name inside K3S_MANIFESTS_DIR. */
  file: string;
  content: string;
}

export function kubeVipManifests(vip: VipSpec): Manifest[] {
  return [
    { file: 'fleet-kube-vip-rbac.yaml', content: documents(kubeVipRbac()) },
    { file: 'fleet-kube-vip.yaml', content: documents([kubeVipDaemonSet(vip)]) },
  ];
}

function documents(objects: object[]): string {
  return `# Written by fleet (cluster.vip); K3s applies it on start.\n${objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n')}`;
}

function kubeVipRbac(): object[] {
  const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:kube-vip-role', annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      rules: [
        rule([''], ['services/status'], ['update']),
        rule([''], ['services', 'endpoints'], ['list', 'get', 'watch', 'update']),
        rule([''], ['nodes'], ['list', 'get', 'watch', 'update', 'patch']),
        rule(['coordination.k8s.io'], ['leases'], ['list', 'get', 'watch', 'update', 'create']),
        rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'get', 'watch', 'update']),
        rule([''], ['pods'], ['list']),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:kube-vip-binding' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kube-vip-role' },
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: NAMESPACE }],
    },
  ];
}

function kubeVipDaemonSet(vip: VipSpec): object {
  const env = (name: string, value: string) => ({ name, value });
  const labels = { 'app.kubernetes.io/name': 'kube-vip-ds', 'app.kubernetes.io/managed-by': 'fleet' };
  const controlPlane = (key: string) => ({ matchExpressions: [{ key, operator: 'Exists' }] });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-vip-ds', namespace: NAMESPACE, labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'kube-vip-ds' } },
      template: {
        metadata: { labels },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [controlPlane('node-role.kubernetes.io/master'), controlPlane('node-role.kubernetes.io/control-plane')] },
            },
          },
          containers: [
            {
              name: 'kube-vip',
              image: vip.image ?? KUBE_VIP_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['manager'],
              env: [
                env('vip_arp', 'true'),
                env('port', String(SUPERVISOR_PORT)),
                { name: 'vip_nodename', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                env('vip_interface', vip.interface),
                env('vip_cidr', vip.address.includes(':') ? '128' : '32'),
                env('cp_enable', 'true'),
                env('cp_namespace', NAMESPACE),
                env('svc_enable', 'false'),
                env('vip_leaderelection', 'true'),
                env('vip_leasename', 'plndr-cp-lock'),
                env('vip_leaseduration', '5'),
                env('vip_renewdeadline', '3'),
                env('vip_retryperiod', '1'),
                env('address', vip.address),
              ],
              securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
            },
          ],
          hostNetwork: true,
          serviceAccountName: SERVICE_ACCOUNT,
          tolerations: [
            { effect: 'NoSchedule', operator: 'Exists' },
            { effect: 'NoExecute', operator: 'Exists' },
          ],
        },
      },
    },
  };
}
