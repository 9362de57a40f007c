import { z } from 'astro/zod';
import { LEVELS } from '../lessons/topics';

/**
 * The lab format (labs/<slug>/lab.yaml), DESIGN.md §4. Tasks are graded on the final
 * state of the cluster through `checks`, never on the command string the learner typed.
 */

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a DNS-1123 name');

/** A cluster node as ClusterConfig lists it. */
const nodeSchema = z
  .object({
    name,
    role: z.enum(['control-plane', 'worker']).default('worker'),
    ip: z.string().ip({ version: 'v4' }),
    /** Extra eth0 addresses, CIDR notation. */
    addresses: z.array(z.string()).optional(),
  })
  .strict();

/** ClusterConfig overrides (clusterpath.dev/v1alpha1); every field optional. */
export const clusterOverridesSchema = z
  .object({
    clusterDomain: z.string().optional(),
    serviceCIDR: z.string().optional(),
    podCIDR: z.string().optional(),
    serviceNodePortRange: z.string().regex(/^\d+-\d+$/).optional(),
    cni: z.enum(['kindnet', 'calico', 'cilium', 'flannel']).optional(),
    kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/).optional(),
    nodes: z.array(nodeSchema).min(1).optional(),
  })
  .strict();

/** `kind/name` as kubectl takes it, e.g. `service/web` or `deploy/web`. */
const resourceRef = z.string().regex(/^[a-z.]+\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected KIND/NAME, e.g. service/web');

/** An object field read with kubectl's JSONPath. Exactly one comparison. */
const objectCheck = z
  .object({
    type: z.literal('object'),
    resource: resourceRef,
    namespace: name.default('default'),
    /** kubectl JSONPath, e.g. `{.spec.selector.app}`. */
    jsonpath: z.string().startsWith('{'),
    equals: z.string().optional(),
    matches: z.string().optional(),
    /** true: the object exists; false: it must be gone. */
    exists: z.boolean().optional(),
  })
  .strict();

/** A connection from a pod; `to` is a URL or IP:PORT (a Service name resolves through DNS). */
const reachCheck = z
  .object({
    type: z.literal('reach'),
    from: name,
    namespace: name.default('default'),
    to: z.string().min(1),
    expect: z.enum(['allowed', 'denied']),
  })
  .strict();

/** A DNS lookup from a pod, through the cluster's resolver. */
const dnsCheck = z
  .object({
    type: z.literal('dns'),
    from: name,
    namespace: name.default('default'),
    name: z.string().min(1),
    record: z.enum(['A', 'AAAA', 'SRV', 'CNAME', 'PTR']).default('A'),
    /** The answers expected (any order), or `NXDOMAIN`. */
    expect: z.union([z.array(z.string()).min(1), z.literal('NXDOMAIN')]),
  })
  .strict();

/**
 * A rule present on a node, as a tool prints it: `iptables-save -t TABLE` (the default), or
 * `nft list ruleset` (`tool: nft`, kube-proxy's nftables mode), whose lines are matched
 * without their indentation.
 */
const ruleCheck = z
  .object({
    type: z.literal('rule'),
    node: name,
    tool: z.enum(['iptables-save', 'nft']).default('iptables-save'),
    /** iptables-save only; `nat` when not given. */
    table: z.enum(['filter', 'nat', 'mangle', 'raw']).optional(),
    /** A regular expression matched against each printed rule line. */
    matches: z.string().min(1),
    present: z.boolean().default(true),
    /** Match `iptables-save -c` lines, which start with `[packets:bytes]` (to ask that a rule has counted traffic). */
    counters: z.boolean().default(false),
  })
  .strict();

/** An IPVS virtual server on a node (`ipvsadm -Ln`), optionally with its real servers. */
const ipvsCheck = z
  .object({
    type: z.literal('ipvs'),
    node: name,
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
    /** IP:PORT of the virtual server. */
    service: z.string().regex(/^\d+\.\d+\.\d+\.\d+:\d+$/),
    scheduler: z.string().optional(),
    realServers: z.number().int().nonnegative().optional(),
  })
  .strict();

/** A file in the learner's file system (e.g. one written in the editor). */
const fileCheck = z
  .object({
    type: z.literal('file'),
    path: z.string().min(1),
    contains: z.string().optional(),
    equals: z.string().optional(),
  })
  .strict();

const anyCheck = z.discriminatedUnion('type', [
  objectCheck,
  reachCheck,
  dnsCheck,
  ruleCheck,
  ipvsCheck,
  fileCheck,
]);
// discriminatedUnion takes plain objects, so the object check's one-comparison rule lives here.
export const checkSchema = anyCheck.superRefine((c, ctx) => {
  if (c.type === 'object' && [c.equals, c.matches, c.exists].filter((v) => v !== undefined).length !== 1) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'give exactly one of equals, matches or exists' });
  }
  // nft lists the whole ruleset, without counters: a table or counters there would be ignored.
  if (c.type === 'rule' && c.tool === 'nft' && (c.table !== undefined || c.counters)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [c.table !== undefined ? 'table' : 'counters'], message: 'table and counters are for iptables-save; tool: nft matches lines of `nft list ruleset`' });
  }
  // A pattern that does not compile would make the check fail forever: refuse it here.
  if ((c.type === 'object' || c.type === 'rule') && c.matches !== undefined) {
    try {
      new RegExp(c.matches);
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['matches'], message: `not a regular expression: ${(e as Error).message}` });
    }
  }
});
export type LabCheck = z.infer<typeof checkSchema>;

const taskSchema = z
  .object({
    /** Stable id, used for saved progress. */
    id: name,
    title: z.string().min(3),
    /** Markdown shown to the learner. */
    text: z.string().min(10),
    /** All must hold on the cluster's final state. */
    checks: z.array(checkSchema).min(1),
  })
  .strict();

export const labSchema = z
  .object({
    title: z.string().min(3),
    /** One or two sentences for the labs index. */
    summary: z.string().min(20).max(300),
    level: z.enum(LEVELS),
    /** Expected time to finish, in minutes. */
    minutes: z.number().int().min(1).max(180),
    /** Slugs of the lessons this lab belongs to (content/lessons/<slug>.mdx). */
    lessons: z.array(z.string()).default([]),
    /** ClusterConfig overrides for this lab. */
    cluster: clusterOverridesSchema.default({}),
    /** Manifest files, relative to the lab folder, applied before the learner arrives. */
    setup: z.array(z.string().regex(/\.ya?ml$/, 'expected a .yaml file')).default([]),
    tasks: z.array(taskSchema).min(1),
    /** Ordered hints, revealed one at a time. */
    hints: z.array(z.string()).default([]),
    /** Command lines that solve every task; replayed by `clusterpath lab verify`. */
    solution: z.array(z.string()).min(1),
    /** Show the "Compare modes" panel: a Service's iptables rules beside its IPVS virtual server, live. */
    modeSwitch: z.boolean().default(false),
  })
  .strict();

export type LabData = z.infer<typeof labSchema>;
