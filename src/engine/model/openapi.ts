/**
 * The slice of the API server's OpenAPI v3 documents that `kubectl explain` reads, for the
 * kinds this emulation serves. Descriptions are the API types' doc comments (k8s.io/api
 * core/v1, apps/v1, discovery/v1, networking/v1, apimachinery meta/v1), shortened where the
 * upstream text runs long; field names, types and required markers are upstream's.
 * Fields a type has upstream but this table leaves out are listed in `omitted` so explain
 * can say so instead of claiming they do not exist.
 */

/** `string`, `integer`, `boolean`, `map[string]string`, `[]ServicePort`, `ServiceSpec`, `IntOrString`, `Quantity`. */
export type SchemaType = string;

export interface SchemaField {
  name: string;
  type: SchemaType;
  description: string;
  required?: boolean;
  enum?: string[];
}

export interface SchemaObject {
  description: string;
  fields: SchemaField[];
}

const MORE = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';
const API_VERSION = `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${MORE}#resources`;
const KIND = `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${MORE}#types-kinds`;
const METADATA = `Standard object's metadata. More info: ${MORE}#metadata`;

const f = (name: string, type: SchemaType, description: string, extra: Partial<SchemaField> = {}): SchemaField => ({ name, type, description, ...extra });
const head = (): SchemaField[] => [f('apiVersion', 'string', API_VERSION), f('kind', 'string', KIND), f('metadata', 'ObjectMeta', METADATA)];

export const SCHEMAS: Record<string, SchemaObject> = {
  ObjectMeta: {
    description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    fields: [
      f('annotations', 'map[string]string', 'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations'),
      f('creationTimestamp', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.'),
      f('deletionGracePeriodSeconds', 'integer', 'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. May only be shortened. Read-only.'),
      f('deletionTimestamp', 'string', 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client.'),
      f('finalizers', '[]string', 'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.'),
      f('generateName', 'string', 'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'),
      f('generation', 'integer', 'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.'),
      f('labels', 'map[string]string', 'Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels'),
      f('name', 'string', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'),
      f('namespace', 'string', 'Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty. Must be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces'),
      f('ownerReferences', '[]OwnerReference', 'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true.'),
      f('resourceVersion', 'string', 'An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Populated by the system. Read-only.'),
      f('uid', 'string', 'UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations. Populated by the system. Read-only.'),
    ],
  },
  OwnerReference: {
    description: 'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
    fields: [
      f('apiVersion', 'string', 'API version of the referent.', { required: true }),
      f('blockOwnerDeletion', 'boolean', 'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.'),
      f('controller', 'boolean', 'If true, this reference points to the managing controller.'),
      f('kind', 'string', 'Kind of the referent.', { required: true }),
      f('name', 'string', 'Name of the referent.', { required: true }),
      f('uid', 'string', 'UID of the referent.', { required: true }),
    ],
  },
  LabelSelector: {
    description: 'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
    fields: [
      f('matchExpressions', '[]LabelSelectorRequirement', 'matchExpressions is a list of label selector requirements. The requirements are ANDed.'),
      f('matchLabels', 'map[string]string', 'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.'),
    ],
  },
  LabelSelectorRequirement: {
    description: 'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    fields: [
      f('key', 'string', 'key is the label key that the selector applies to.', { required: true }),
      f('operator', 'string', "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.", { required: true }),
      f('values', '[]string', 'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.'),
    ],
  },
  // ---- core/v1 Service ----
  Service: {
    description: 'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    fields: [...head(), f('spec', 'ServiceSpec', `Spec defines the behavior of a service. ${MORE}#spec-and-status`), f('status', 'ServiceStatus', `Most recently observed status of the service. Populated by the system. Read-only. More info: ${MORE}#spec-and-status`)],
  },
  ServiceSpec: {
    description: 'ServiceSpec describes the attributes that a user creates on a service.',
    fields: [
      f('allocateLoadBalancerNodePorts', 'boolean', 'allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".'),
      f('clusterIP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName. Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP).'),
      f('clusterIPs', '[]string', 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly. The first one must match clusterIP.'),
      f('externalIPs', '[]string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service. These IPs are not managed by Kubernetes.'),
      f('externalName', 'string', 'externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). No proxying will be involved. Must be a lowercase RFC-1123 hostname and requires `type` to be "ExternalName".'),
      f('externalTrafficPolicy', 'string', 'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs). If set to "Local", the proxy will configure the service in a way that assumes that external load balancers will take care of balancing the service traffic between nodes, and so each node will deliver traffic only to the node-local endpoints of the service, without masquerading the client source IP. The default "Cluster" uses the standard behavior of routing to all endpoints evenly.', { enum: ['Cluster', 'Local'] }),
      f('healthCheckNodePort', 'integer', 'healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local.'),
      f('internalTrafficPolicy', 'string', 'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If set to "Local", the proxy will assume that pods only want to talk to endpoints of the service on the same node as the pod, dropping the traffic if there are no local endpoints. The default value, "Cluster", uses the standard behavior of routing to all endpoints evenly.', { enum: ['Cluster', 'Local'] }),
      f('ipFamilies', '[]string', 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.'),
      f('ipFamilyPolicy', 'string', 'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. Valid values are "SingleStack", "PreferDualStack" and "RequireDualStack".', { enum: ['PreferDualStack', 'RequireDualStack', 'SingleStack'] }),
      f('loadBalancerClass', 'string', 'loadBalancerClass is the class of the load balancer implementation this Service belongs to.'),
      f('loadBalancerIP', 'string', 'Only applies to Service Type: LoadBalancer. This feature depends on whether the underlying cloud-provider supports specifying the loadBalancerIP when a load balancer is created. Deprecated: This field was under-specified and its meaning varies across implementations.'),
      f('loadBalancerSourceRanges', '[]string', 'If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.'),
      f('ports', '[]ServicePort', 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
      f('publishNotReadyAddresses', 'boolean', 'publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready. The primary use case for setting this field is for a StatefulSet\'s Headless Service to propagate SRV DNS records for its Pods for the purpose of peer discovery.'),
      f('selector', 'map[string]string', 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/'),
      f('sessionAffinity', 'string', 'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None.', { enum: ['ClientIP', 'None'] }),
      f('sessionAffinityConfig', 'SessionAffinityConfig', 'sessionAffinityConfig contains the configurations of session affinity.'),
      f('trafficDistribution', 'string', 'TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints. Implementations can use this field as a hint, but are not required to guarantee strict adherence.'),
      f('type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName.', { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
    ],
  },
  SessionAffinityConfig: {
    description: 'SessionAffinityConfig represents the configurations of session affinity.',
    fields: [f('clientIP', 'ClientIPConfig', 'clientIP contains the configurations of Client IP based session affinity.')],
  },
  ClientIPConfig: {
    description: 'ClientIPConfig represents the configurations of Client IP based session affinity.',
    fields: [f('timeoutSeconds', 'integer', 'timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP". Default value is 10800(for 3 hours).')],
  },
  ServicePort: {
    description: "ServicePort contains information on service's port.",
    fields: [
      f('appProtocol', 'string', 'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.'),
      f('name', 'string', "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. When considering the endpoints for a Service, this must match the 'name' field in the EndpointPort. Optional if only one ServicePort is defined on this service."),
      f('nodePort', 'integer', 'The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system. If a value is specified, in-range, and not in use it will be used, otherwise the operation will fail. More info: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'),
      f('port', 'integer', 'The port that will be exposed by this service.', { required: true }),
      f('protocol', 'string', 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
      f('targetPort', 'IntOrString', "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map). More info: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service"),
    ],
  },
  ServiceStatus: {
    description: 'ServiceStatus represents the current status of a service.',
    fields: [f('conditions', '[]Condition', 'Current service state'), f('loadBalancer', 'LoadBalancerStatus', 'LoadBalancer contains the current status of the load-balancer, if one is present.')],
  },
  LoadBalancerStatus: {
    description: 'LoadBalancerStatus represents the status of a load-balancer.',
    fields: [f('ingress', '[]LoadBalancerIngress', 'Ingress is a list containing ingress points for the load-balancer. Traffic intended for the service should be sent to these ingress points.')],
  },
  // ---- core/v1 ConfigMap ----
  ConfigMap: {
    description: 'ConfigMap holds configuration data for pods to consume.',
    fields: [
      f('apiVersion', 'string', API_VERSION),
      f('binaryData', 'map[string]string', "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range."),
      f('data', 'map[string]string', "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
      f('immutable', 'boolean', 'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.'),
      f('kind', 'string', KIND),
      f('metadata', 'ObjectMeta', METADATA),
    ],
  },
  // ---- core/v1 Pod ----
  Pod: {
    description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    fields: [...head(), f('spec', 'PodSpec', `Specification of the desired behavior of the pod. More info: ${MORE}#spec-and-status`), f('status', 'PodStatus', `Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: ${MORE}#spec-and-status`)],
  },
  PodSpec: {
    description: 'PodSpec is a description of a pod.',
    fields: [
      f('automountServiceAccountToken', 'boolean', 'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'),
      f('containers', '[]Container', 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.', { required: true }),
      f('dnsPolicy', 'string', "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'. DNS parameters given in DNSConfig will be merged with the policy selected with DNSPolicy. To have DNS options set along with hostNetwork, you have to specify DNS policy explicitly to 'ClusterFirstWithHostNet'.", { enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] }),
      f('enableServiceLinks', 'boolean', "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true."),
      f('hostNetwork', 'boolean', "Host networking requested for this pod. Use the host's network namespace. Default to false."),
      f('hostname', 'string', "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value."),
      f('initContainers', '[]Container', 'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started. If any init container fails, the pod is considered to have failed and is handled according to its restartPolicy.'),
      f('nodeName', 'string', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod.'),
      f('nodeSelector', 'map[string]string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
      f('priorityClassName', 'string', 'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities with the former being the highest priority.'),
      f('restartPolicy', 'string', 'Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy', { enum: ['Always', 'Never', 'OnFailure'] }),
      f('serviceAccountName', 'string', 'ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/'),
      f('subdomain', 'string', 'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>". If not specified, the pod will not have a domainname at all.'),
      f('terminationGracePeriodSeconds', 'integer', 'Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). Defaults to 30 seconds.'),
      f('tolerations', '[]Toleration', "If specified, the pod's tolerations."),
      f('volumes', '[]Volume', 'List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes'),
    ],
  },
  Container: {
    description: 'A single application container that you want to run within a pod.',
    fields: [
      f('args', '[]string', "Arguments to the entrypoint. The container image's CMD is used if this is not provided. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell"),
      f('command', '[]string', "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell"),
      f('env', '[]EnvVar', 'List of environment variables to set in the container. Cannot be updated.'),
      f('image', 'string', 'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.'),
      f('imagePullPolicy', 'string', 'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images', { enum: ['Always', 'IfNotPresent', 'Never'] }),
      f('livenessProbe', 'Probe', 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
      f('name', 'string', 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.', { required: true }),
      f('ports', '[]ContainerPort', 'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Any port which is listening on the default "0.0.0.0" address inside a container will be accessible from the network. Cannot be updated.'),
      f('readinessProbe', 'Probe', 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
      f('resources', 'ResourceRequirements', 'Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'),
      f('startupProbe', 'Probe', 'StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully. If this probe fails, the Pod will be restarted, just as if the livenessProbe failed.'),
      f('stdin', 'boolean', 'Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.'),
      f('tty', 'boolean', "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false."),
      f('volumeMounts', '[]VolumeMount', "Pod volumes to mount into the container's filesystem. Cannot be updated."),
    ],
  },
  ContainerPort: {
    description: 'ContainerPort represents a network port in a single container.',
    fields: [
      f('containerPort', 'integer', "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.", { required: true }),
      f('hostIP', 'string', 'What host IP to bind the external port to.'),
      f('hostPort', 'integer', 'Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this.'),
      f('name', 'string', 'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.'),
      f('protocol', 'string', 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".', { enum: ['SCTP', 'TCP', 'UDP'] }),
    ],
  },
  Probe: {
    description: 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    fields: [
      f('exec', 'ExecAction', 'Exec specifies a command to execute in the container.'),
      f('failureThreshold', 'integer', 'Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.'),
      f('grpc', 'GRPCAction', 'GRPC specifies a GRPC HealthCheckRequest.'),
      f('httpGet', 'HTTPGetAction', 'HTTPGet specifies an HTTP GET request to perform.'),
      f('initialDelaySeconds', 'integer', 'Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
      f('periodSeconds', 'integer', 'How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.'),
      f('successThreshold', 'integer', 'Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.'),
      f('tcpSocket', 'TCPSocketAction', 'TCPSocket specifies a connection to a TCP port.'),
      f('terminationGracePeriodSeconds', 'integer', 'Optional duration in seconds the pod needs to terminate gracefully upon probe failure.'),
      f('timeoutSeconds', 'integer', 'Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
    ],
  },
  HTTPGetAction: {
    description: 'HTTPGetAction describes an action based on HTTP Get requests.',
    fields: [
      f('host', 'string', 'Host name to connect to, defaults to the pod IP. You probably want to set "Host" in httpHeaders instead.'),
      f('httpHeaders', '[]HTTPHeader', 'Custom headers to set in the request. HTTP allows repeated headers.'),
      f('path', 'string', 'Path to access on the HTTP server.'),
      f('port', 'IntOrString', 'Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.', { required: true }),
      f('scheme', 'string', 'Scheme to use for connecting to the host. Defaults to HTTP.', { enum: ['HTTP', 'HTTPS'] }),
    ],
  },
  TCPSocketAction: {
    description: 'TCPSocketAction describes an action based on opening a socket',
    fields: [
      f('host', 'string', 'Optional: Host name to connect to, defaults to the pod IP.'),
      f('port', 'IntOrString', 'Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.', { required: true }),
    ],
  },
  ExecAction: {
    description: 'ExecAction describes a "run in container" action.',
    fields: [f('command', '[]string', "Command is the command line to execute inside the container, the working directory for the command  is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell, so traditional shell instructions ('|', etc) won't work. To use a shell, you need to explicitly call out to that shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.")],
  },
  PodTemplateSpec: {
    description: 'PodTemplateSpec describes the data a pod should have when created from a template',
    fields: [f('metadata', 'ObjectMeta', METADATA), f('spec', 'PodSpec', `Specification of the desired behavior of the pod. More info: ${MORE}#spec-and-status`)],
  },
  // ---- apps/v1 Deployment ----
  Deployment: {
    description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    fields: [...head(), f('spec', 'DeploymentSpec', 'Specification of the desired behavior of the Deployment.'), f('status', 'DeploymentStatus', 'Most recently observed status of the Deployment.')],
  },
  DeploymentSpec: {
    description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    fields: [
      f('minReadySeconds', 'integer', 'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)'),
      f('paused', 'boolean', 'Indicates that the deployment is paused.'),
      f('progressDeadlineSeconds', 'integer', 'The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.'),
      f('replicas', 'integer', 'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.'),
      f('revisionHistoryLimit', 'integer', 'The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.'),
      f('selector', 'LabelSelector', "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.", { required: true }),
      f('strategy', 'DeploymentStrategy', 'The deployment strategy to use to replace existing pods with new ones.'),
      f('template', 'PodTemplateSpec', 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".', { required: true }),
    ],
  },
  DeploymentStrategy: {
    description: 'DeploymentStrategy describes how to replace existing pods with new ones.',
    fields: [
      f('rollingUpdate', 'RollingUpdateDeployment', 'Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.'),
      f('type', 'string', 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.', { enum: ['Recreate', 'RollingUpdate'] }),
    ],
  },
  RollingUpdateDeployment: {
    description: 'Spec to control the desired behavior of rolling update.',
    fields: [
      f('maxSurge', 'IntOrString', 'The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%.'),
      f('maxUnavailable', 'IntOrString', 'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%.'),
    ],
  },
  // ---- discovery.k8s.io/v1 EndpointSlice ----
  EndpointSlice: {
    description: 'EndpointSlice represents a set of service endpoints. Most EndpointSlices are created by the EndpointSlice controller to represent the Pods selected by Service objects. For a given service there may be multiple EndpointSlice objects which must be joined to produce the full set of endpoints; you can find all of the slices for a given service by listing EndpointSlices in the service\'s namespace whose `kubernetes.io/service-name` label contains the service\'s name.',
    fields: [
      f('addressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated)', { required: true, enum: ['FQDN', 'IPv4', 'IPv6'] }),
      f('apiVersion', 'string', API_VERSION),
      f('endpoints', '[]Endpoint', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.', { required: true }),
      f('kind', 'string', KIND),
      f('metadata', 'ObjectMeta', 'Standard object\'s metadata.'),
      f('ports', '[]EndpointPort', 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port.'),
    ],
  },
  Endpoint: {
    description: 'Endpoint represents a single logical "backend" implementing a service.',
    fields: [
      f('addresses', '[]string', 'addresses of this endpoint. For EndpointSlices of addressType "IPv4" or "IPv6", the values are IP addresses in canonical form. The syntax and semantics of other addressType values are not defined. This must contain at least one address but no more than 100.', { required: true }),
      f('conditions', 'EndpointConditions', 'conditions contains information about the current status of the endpoint.'),
      f('hints', 'EndpointHints', 'hints contains information associated with how an endpoint should be consumed.'),
      f('hostname', 'string', 'hostname of this endpoint. This field may be used by consumers of endpoints to distinguish endpoints from each other (e.g. in DNS names).'),
      f('nodeName', 'string', 'nodeName represents the name of the Node hosting this endpoint. This can be used to determine endpoints local to a Node.'),
      f('targetRef', 'ObjectReference', 'targetRef is a reference to a Kubernetes object that represents this endpoint.'),
      f('zone', 'string', 'zone is the name of the Zone this endpoint exists in.'),
    ],
  },
  EndpointConditions: {
    description: 'EndpointConditions represents the current condition of an endpoint.',
    fields: [
      f('ready', 'boolean', 'ready indicates that this endpoint is ready to receive traffic, according to whatever system is managing the endpoint. A nil value should be interpreted as "true". In general, an endpoint should be marked ready if it is serving and not terminating, though this can be overridden in some cases, such as when the associated Service has set the publishNotReadyAddresses flag.'),
      f('serving', 'boolean', 'serving indicates that this endpoint is able to receive traffic, according to whatever system is managing the endpoint. For endpoints backed by pods, the EndpointSlice controller will mark the endpoint as serving if the pod\'s Ready condition is True. A nil value should be interpreted as "true".'),
      f('terminating', 'boolean', 'terminating indicates that this endpoint is terminating. A nil value should be interpreted as "false".'),
    ],
  },
  EndpointPort: {
    description: 'EndpointPort represents a Port used by an EndpointSlice',
    fields: [
      f('appProtocol', 'string', 'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.'),
      f('name', 'string', 'name represents the name of this port. All ports in an EndpointSlice must have a unique name. If the EndpointSlice is derived from a Kubernetes service, this corresponds to the Service.ports[].name.'),
      f('port', 'integer', 'port represents the port number of the endpoint. If the EndpointSlice is derived from a Kubernetes service, this must be set to the service\'s target port. EndpointSlices used for other purposes may have a nil port.'),
      f('protocol', 'string', 'protocol represents the IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    ],
  },
  // ---- networking.k8s.io/v1 NetworkPolicy ----
  NetworkPolicy: {
    description: 'NetworkPolicy describes what network traffic is allowed for a set of Pods',
    fields: [...head(), f('spec', 'NetworkPolicySpec', 'spec represents the specification of the desired behavior for this NetworkPolicy.')],
  },
  NetworkPolicySpec: {
    description: 'NetworkPolicySpec provides the specification of a NetworkPolicy',
    fields: [
      f('egress', '[]NetworkPolicyEgressRule', 'egress is a list of egress rules to be applied to the selected pods. Outgoing traffic is allowed if there are no NetworkPolicies selecting the pod (and cluster policy otherwise allows the traffic), OR if the traffic matches at least one egress rule across all of the NetworkPolicy objects whose podSelector matches the pod. If this field is empty then this NetworkPolicy limits all outgoing traffic (and serves solely to ensure that the pods it selects are isolated by default).'),
      f('ingress', '[]NetworkPolicyIngressRule', "ingress is a list of ingress rules to be applied to the selected pods. Traffic is allowed to a pod if there are no NetworkPolicies selecting the pod (and cluster policy otherwise allows the traffic), OR if the traffic source is the pod's local node, OR if the traffic matches at least one ingress rule across all of the NetworkPolicy objects whose podSelector matches the pod. If this field is empty then this NetworkPolicy does not allow any traffic (and serves solely to ensure that the pods it selects are isolated by default)"),
      f('podSelector', 'LabelSelector', 'podSelector selects the pods to which this NetworkPolicy object applies. The array of rules is applied to any pods selected by this field. An empty selector matches all pods in the policy\'s namespace. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is optional. If it is not specified, it defaults to an empty selector.'),
      f('policyTypes', '[]string', 'policyTypes is a list of rule types that the NetworkPolicy relates to. Valid options are ["Ingress"], ["Egress"], or ["Ingress", "Egress"]. If this field is not specified, it will default based on the existence of ingress or egress rules; policies that contain an egress section are assumed to affect egress, and all policies (whether or not they contain an ingress section) are assumed to affect ingress.'),
    ],
  },
  NetworkPolicyIngressRule: {
    description: 'NetworkPolicyIngressRule describes a particular set of traffic that is allowed to the pods matched by a NetworkPolicySpec\'s podSelector. The traffic must match both ports and from.',
    fields: [
      f('from', '[]NetworkPolicyPeer', 'from is a list of sources which should be able to access the pods selected for this rule. Items in this list are combined using a logical OR operation. If this field is empty or missing, this rule matches all sources (traffic not restricted by source). If this field is present and contains at least one item, this rule allows traffic only if the traffic matches at least one item in the from list.'),
      f('ports', '[]NetworkPolicyPort', 'ports is a list of ports which should be made accessible on the pods selected for this rule. Each item in this list is combined using a logical OR. If this field is empty or missing, this rule matches all ports (traffic not restricted by port). If this field is present and contains at least one item, then this rule allows traffic only if the traffic matches at least one port in the list.'),
    ],
  },
  NetworkPolicyEgressRule: {
    description: "NetworkPolicyEgressRule describes a particular set of traffic that is allowed out of pods matched by a NetworkPolicySpec's podSelector. The traffic must match both ports and to.",
    fields: [
      f('ports', '[]NetworkPolicyPort', 'ports is a list of destination ports for outgoing traffic. Each item in this list is combined using a logical OR. If this field is empty or missing, this rule matches all ports (traffic not restricted by port).'),
      f('to', '[]NetworkPolicyPeer', 'to is a list of destinations for outgoing traffic of pods selected for this rule. Items in this list are combined using a logical OR operation. If this field is empty or missing, this rule matches all destinations (traffic not restricted by destination).'),
    ],
  },
  NetworkPolicyPeer: {
    description: 'NetworkPolicyPeer describes a peer to allow traffic to/from. Only certain combinations of fields are allowed',
    fields: [
      f('ipBlock', 'IPBlock', 'ipBlock defines policy on a particular IPBlock. If this field is set then neither of the other fields can be.'),
      f('namespaceSelector', 'LabelSelector', 'namespaceSelector selects namespaces using cluster-scoped labels. This field follows standard label selector semantics; if present but empty, it selects all namespaces. If podSelector is also set, then the NetworkPolicyPeer as a whole selects the pods matching podSelector in the namespaces selected by namespaceSelector. Otherwise it selects all pods in the namespaces selected by namespaceSelector.'),
      f('podSelector', 'LabelSelector', "podSelector is a label selector which selects pods. This field follows standard label selector semantics; if present but empty, it selects all pods. If namespaceSelector is also set, then the NetworkPolicyPeer as a whole selects the pods matching podSelector in the Namespaces selected by NamespaceSelector. Otherwise it selects the pods matching podSelector in the policy's own namespace."),
    ],
  },
  NetworkPolicyPort: {
    description: 'NetworkPolicyPort describes a port to allow traffic on',
    fields: [
      f('endPort', 'integer', 'endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed by the policy. This field cannot be defined if the port field is not defined or if the port field is defined as a named (string) port. The endPort must be equal or greater than port.'),
      f('port', 'IntOrString', 'port represents the port on the given protocol. This can either be a numerical or named port on a pod. If this field is not provided, this matches all port names and numbers. If present, only traffic on the specified protocol AND port will be matched.'),
      f('protocol', 'string', 'protocol represents the protocol (TCP, UDP, or SCTP) which traffic must match. If not specified, this field defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    ],
  },
  IPBlock: {
    description: 'IPBlock describes a particular CIDR (Ex. "192.168.1.0/24","2001:db8::/64") that is allowed to the pods matched by a NetworkPolicySpec\'s podSelector. The except entry describes CIDRs that should not be included within this rule.',
    fields: [
      f('cidr', 'string', 'cidr is a string representing the IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64"', { required: true }),
      f('except', '[]string', 'except is a slice of CIDRs that should not be included within an IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64" Except values will be rejected if they are outside the cidr range'),
    ],
  },
};

/** The type an array, map or reference names: `[]ServicePort` → `ServicePort`. */
export function elementType(t: SchemaType): string {
  return t.replace(/^\[\]/, '').replace(/^map\[string\]/, '');
}

/** Kinds whose schema is served (the others answer with a minimal document). */
export function schemaFor(kind: string): SchemaObject | undefined {
  return SCHEMAS[kind];
}
