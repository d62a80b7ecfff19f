"""The table: every check the API server makes that JSON schemas cannot express, one row each.

Read a row as: rule `id` applies to `kinds` at `paths` (`{pod}`, `{template}`, `{job}`, `{claim}`
and `{containers}` stand for where the pod spec, pod template, Job spec, claim specs and containers
sit in each kind; `[*]` for every list item), holds from Kubernetes `since` to `until`, and when
`check` fails the API server answers `message`. Rows may share an id when one rule differs per kind
or version.
"""
from __future__ import annotations

from . import checks as c
from . import formats as f
from .engine import APPS, JOBS, WORKLOADS, Rule, at_least, between, each_key, each_value, one_of, string_format

REF = "https://kubernetes.io/docs/reference/kubernetes-api"
CONCEPTS = "https://kubernetes.io/docs/concepts"
POD_DOC = f"{REF}/workload-resources/pod-v1/"
SERVICE_DOC = f"{REF}/service-resources/service-v1/"
INGRESS_DOC = f"{REF}/service-resources/ingress-v1/"
HPA_DOC = f"{REF}/workload-resources/horizontal-pod-autoscaler-v2/"
RBAC_DOC = f"{REF}/authorization-resources/"
NETPOL_DOC = f"{REF}/policy-resources/network-policy-v1/"
PVC_DOC = f"{REF}/config-and-storage-resources/persistent-volume-claim-v1/"

# Go's field.NotSupported; where the API server keeps the values in a set it lists them sorted, and so do we.
UNSUPPORTED = "Unsupported value: {value}: supported values: {supported}"
INVALID = "Invalid value: {value}: {detail}"
RANGE = "Invalid value: {value}: must be between {low} and {high}, inclusive"
MIN = "Invalid value: {value}: must be greater than or equal to {low}"
DETAIL = "{detail}"

NAMESPACED = ("Pod", *APPS, *JOBS, "Service", "Ingress", "ConfigMap", "Secret", "PersistentVolumeClaim",
              "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount", "Role", "RoleBinding",
              "NetworkPolicy")
BUILTIN = (*NAMESPACED, "Namespace", "ClusterRole", "ClusterRoleBinding")
RBAC = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
SUBDOMAIN_NAMED = tuple(k for k in NAMESPACED if k not in ("Service", "StatefulSet", *RBAC))
LABEL_MAPS = ("metadata.labels", "{template}.metadata.labels", "spec.selector.matchLabels", "{pod}.nodeSelector")
PROBES = ("{containers}.livenessProbe", "{containers}.readinessProbe", "{containers}.startupProbe")
PROBE_PORTS = tuple(f"{p}.{h}.port" for p in PROBES for h in ("httpGet", "tcpSocket"))
VOLUME_MODES = tuple(f"{{pod}}.volumes[*].{src}" for src in ("configMap.defaultMode", "secret.defaultMode",
                                                               "projected.defaultMode", "downwardAPI.defaultMode"))
PVC_SPECS = ("{claim}",)

RULES: tuple[Rule, ...] = (
    # ---- metadata: names, namespaces, labels, annotations ----------------------------------------
    Rule("api-name-required", "metadata.name (or generateName) must be set", BUILTIN, ("metadata",),
         c.name_required, "Required value: name or generateName is required",
         f"{CONCEPTS}/overview/working-with-objects/names/"),
    Rule("api-name-dns-subdomain", "Object names are lowercase RFC 1123 subdomains (at most 253 characters)",
         SUBDOMAIN_NAMED, ("metadata.name",), string_format(f.dns1123_subdomain_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/names/#dns-subdomain-names"),
    Rule("api-name-dns-label", "Namespace names are lowercase RFC 1123 labels (at most 63 characters)",
         ("Namespace",), ("metadata.name",), string_format(f.dns1123_label_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/names/#dns-label-names"),
    Rule("api-name-dns-label", "StatefulSet names are labels from 1.26: they become pod hostnames",
         ("StatefulSet",), ("metadata.name",), string_format(f.dns1123_label_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/names/#dns-label-names", since="1.26"),
    Rule("api-name-dns-subdomain", "StatefulSet names were subdomains up to 1.25", ("StatefulSet",),
         ("metadata.name",), string_format(f.dns1123_subdomain_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/names/#dns-subdomain-names", until="1.25"),
    Rule("api-name-dns1035-label", "Service names are RFC 1035 labels: they start with a letter",
         ("Service",), ("metadata.name",), string_format(f.dns1035_label_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/names/#rfc-1035-label-names"),
    Rule("api-name-path-segment", "RBAC object names must be usable as a URL path segment",
         RBAC, ("metadata.name",), string_format(f.path_segment_name_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/names/#path-segment-names"),
    Rule("api-cronjob-name-length", "CronJob names are at most 52 characters (Job names get a suffix)",
         ("CronJob",), ("metadata.name",), c.cronjob_name_length,
         "Invalid value: {value}: must be no more than 52 characters", f"{REF}/workload-resources/cron-job-v1/"),
    Rule("api-job-name-length", "Job names are at most 63 characters: the name is copied into the pods' "
         "job-name label", ("Job",), ("metadata.name",), c.job_name_length,
         "Invalid value: {value}: must be no more than 63 characters", f"{REF}/workload-resources/job-v1/"),
    Rule("api-namespace-format", "metadata.namespace is a lowercase RFC 1123 label", NAMESPACED,
         ("metadata.namespace",), string_format(f.dns1123_label_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/namespaces/"),
    Rule("api-label-key", "Label keys (and selector, nodeSelector keys) are qualified names with an optional "
         "DNS-subdomain prefix", BUILTIN, LABEL_MAPS, each_key(f.qualified_name_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/labels/#syntax-and-character-set"),
    Rule("api-label-value", "Label values are at most 63 alphanumerics, '-', '_' or '.', alphanumeric at both ends",
         BUILTIN, LABEL_MAPS, each_value(f.label_value_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/labels/#syntax-and-character-set"),
    Rule("api-annotation-key", "Annotation keys are qualified names", BUILTIN,
         ("metadata.annotations", "{template}.metadata.annotations"), each_key(c.annotation_key_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/annotations/#syntax-and-character-set"),
    Rule("api-annotations-size", "All annotations of an object together are at most 256 KiB", BUILTIN,
         ("metadata.annotations", "{template}.metadata.annotations"), c.annotations_size,
         "Too long: must have at most {limit} bytes",
         f"{CONCEPTS}/overview/working-with-objects/annotations/#syntax-and-character-set"),

    # ---- pod spec (every workload kind) ----------------------------------------------------------
    Rule("api-enum-image-pull-policy", "imagePullPolicy is Always, IfNotPresent or Never", WORKLOADS,
         ("{containers}.imagePullPolicy",), one_of("Always", "IfNotPresent", "Never"), UNSUPPORTED,
         f"{CONCEPTS}/containers/images/#image-pull-policy"),
    Rule("api-restart-policy", "Pod restartPolicy is Always, OnFailure or Never; Deployment, StatefulSet, "
         "DaemonSet and ReplicaSet templates need Always; Job and CronJob templates OnFailure or Never "
         "(unset means Always, so a Job template must set it)", WORKLOADS, ("{pod}",), c.restart_policy,
         UNSUPPORTED, f"{CONCEPTS}/workloads/pods/pod-lifecycle/#restart-policy"),
    Rule("api-init-container-restart-policy", "An init container's restartPolicy can only be Always (a sidecar)",
         WORKLOADS, ("{pod}.initContainers[*].restartPolicy",), one_of("Always"), UNSUPPORTED,
         f"{CONCEPTS}/workloads/pods/sidecar-containers/", since="1.29"),
    Rule("api-enum-dns-policy", "dnsPolicy is ClusterFirstWithHostNet, ClusterFirst, Default or None", WORKLOADS,
         ("{pod}.dnsPolicy",), one_of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"), UNSUPPORTED,
         f"{CONCEPTS}/services-networking/dns-pod-service/#pod-s-dns-policy"),
    Rule("api-dns-config-required", "dnsPolicy None needs a dnsConfig with at least one nameserver", WORKLOADS,
         ("{pod}",), c.dns_config_required, DETAIL,
         f"{CONCEPTS}/services-networking/dns-pod-service/#pod-dns-config"),
    Rule("api-enum-protocol", "Port protocols are TCP, UDP or SCTP", (*WORKLOADS, "Service", "NetworkPolicy"),
         ("{containers}.ports[*].protocol", "spec.ports[*].protocol", "spec.ingress[*].ports[*].protocol",
          "spec.egress[*].ports[*].protocol"), one_of("SCTP", "TCP", "UDP"), UNSUPPORTED,
         f"{CONCEPTS}/services-networking/service/#protocol-support"),
    Rule("api-port-range", "Container ports are between 1 and 65535", WORKLOADS,
         ("{containers}.ports[*].containerPort",), between(1, 65535), RANGE, f"{POD_DOC}#ports"),
    Rule("api-port-range", "Service ports are between 1 and 65535", ("Service",), ("spec.ports[*].port",),
         between(1, 65535), RANGE, f"{SERVICE_DOC}#ServiceSpec"),
    Rule("api-port-range", "Ingress backend port numbers are between 1 and 65535", ("Ingress",),
         ("spec.rules[*].http.paths[*].backend.service.port.number", "spec.defaultBackend.service.port.number"),
         between(1, 65535), RANGE, f"{INGRESS_DOC}#IngressBackend"),
    Rule("api-port-range", "Host and node ports, when set, are between 1 and 65535", (*WORKLOADS, "Service"),
         ("{containers}.ports[*].hostPort", "spec.ports[*].nodePort"), between(1, 65535, unset=0), RANGE,
         f"{POD_DOC}#ports"),
    Rule("api-port-range", "Probe ports are 1 to 65535 or an IANA service name", WORKLOADS, PROBE_PORTS,
         c.named_port, INVALID, f"{POD_DOC}#Probe"),
    Rule("api-port-range", "Service targetPorts are 1 to 65535 or an IANA service name (0 or unset: `port`)",
         ("Service",), ("spec.ports[*].targetPort",), c.target_port, INVALID, f"{SERVICE_DOC}#ServiceSpec"),
    Rule("api-container-port-name", "Container port names are IANA service names: at most 15 lowercase "
         "letters, digits and single hyphens, with a letter", WORKLOADS, ("{containers}.ports[*].name",),
         string_format(f.iana_svc_name_errors), INVALID, f"{POD_DOC}#ports"),
    Rule("api-container-port-name-unique", "Port names are unique within a container", WORKLOADS,
         ("{containers}.ports",), c.container_port_names_unique, "Duplicate value: {value}", f"{POD_DOC}#ports"),
    Rule("api-host-port-host-network", "With hostNetwork, hostPort must equal containerPort", WORKLOADS,
         ("{pod}",), c.host_port_matches_with_host_network,
         "Invalid value: {value}: must match `containerPort` when `hostNetwork` is true", f"{POD_DOC}#ports"),
    Rule("api-container-name", "Container names are lowercase RFC 1123 labels", WORKLOADS,
         ("{containers}.name",), string_format(f.dns1123_label_errors), INVALID, f"{POD_DOC}#Container"),
    Rule("api-container-name-unique", "Container names are unique across containers and initContainers",
         WORKLOADS, ("{pod}",), c.container_names_unique, "Duplicate value: {value}", f"{POD_DOC}#Container"),
    Rule("api-pod-image-required", "A Pod's containers need an image (templates may leave it to admission)",
         ("Pod",), ("{pod}",), c.pod_image_required, "Required value", f"{POD_DOC}#Container"),
    Rule("api-volume-name", "Volume names are lowercase RFC 1123 labels", WORKLOADS,
         ("{pod}.volumes[*].name",), string_format(f.dns1123_label_errors), INVALID, f"{POD_DOC}#volumes"),
    Rule("api-volume-name-unique", "Volume names are unique in a pod", WORKLOADS, ("{pod}.volumes",),
         c.volume_names_unique, "Duplicate value: {value}", f"{POD_DOC}#volumes"),
    Rule("api-volume-mount-declared", "volumeMounts and volumeDevices name a volume of the pod (or a "
         "volumeClaimTemplate of the StatefulSet)", WORKLOADS, ("{pod}",), c.volume_mounts_declared,
         "Not found: {value}", f"{CONCEPTS}/storage/volumes/"),
    Rule("api-volume-file-mode", "Volume file modes are between 0 and 0777 (octal)", WORKLOADS,
         (*VOLUME_MODES, "{pod}.volumes[*].configMap.items[*].mode", "{pod}.volumes[*].secret.items[*].mode"),
         c.file_mode, "Invalid value: {value}: must be a number between 0 and 0777 (octal), both inclusive",
         f"{POD_DOC}#volumes"),
    Rule("api-env-var-name", "Environment variable names: letters, digits, '_', '-', '.', not starting with a digit",
         WORKLOADS, ("{containers}",), c.env_var_names, INVALID,
         f"{POD_DOC}#environment-variables", until="1.31"),
    Rule("api-env-var-name", "Environment variable names: printable ASCII other than '=' "
         "(RelaxedEnvironmentVariableValidation, on by default since 1.32)", WORKLOADS, ("{containers}",),
         c.env_var_names, INVALID, f"{POD_DOC}#environment-variables", since="1.32"),
    Rule("api-resource-quantity", "Resource requests and limits are non-negative quantities (500m, 1.5Gi, 2)",
         WORKLOADS, ("{containers}.resources",), c.resource_quantities, INVALID,
         f"{REF}/common-definitions/quantity/"),
    Rule("api-limits-cover-requests", "A request is at most the limit of the same resource", WORKLOADS,
         ("{containers}.resources",), c.limits_cover_requests,
         "Invalid value: {value}: must be less than or equal to {resource} limit of {limit}",
         f"{CONCEPTS}/configuration/manage-resources-containers/#requests-and-limits"),
    Rule("api-resource-name", "Container resources are cpu, memory, ephemeral-storage, hugepages-<size> or "
         "a qualified extended resource name (example.com/gpu)", WORKLOADS, ("{containers}.resources",),
         c.resource_names, DETAIL, f"{CONCEPTS}/configuration/manage-resources-containers/#resource-types"),
    Rule("api-extended-resource-limits", "Hugepages and extended resources cannot be overcommitted: a request "
         "needs a limit and must equal it", WORKLOADS, ("{containers}.resources",), c.non_overcommit_resources,
         DETAIL, f"{CONCEPTS}/configuration/manage-resources-containers/#extended-resources"),
    Rule("api-image-whitespace", "A Pod's container image has no leading or trailing whitespace", ("Pod",),
         ("{pod}",), c.pod_image_whitespace, "Invalid value: {value}: must not have leading or trailing whitespace",
         f"{CONCEPTS}/containers/images/"),
    Rule("api-env-value-from", "An env var has value or valueFrom, and valueFrom names exactly one source",
         WORKLOADS, ("{containers}",), c.env_value_from, DETAIL, f"{POD_DOC}#environment-variables"),
    Rule("api-volume-source", "A volume has exactly one source (none means emptyDir)", WORKLOADS,
         ("{pod}.volumes[*]",), c.volume_source, DETAIL, f"{POD_DOC}#volumes"),
    Rule("api-volume-mount-path", "mountPath is set and unique in a container; subPath is relative, without '..'",
         WORKLOADS, ("{containers}",), c.volume_mount_paths, DETAIL, f"{POD_DOC}#volumes-1"),
    Rule("api-service-account-name", "serviceAccountName is a DNS subdomain", WORKLOADS,
         ("{pod}.serviceAccountName",), string_format(f.dns1123_subdomain_errors), INVALID,
         f"{CONCEPTS}/security/service-accounts/"),
    Rule("api-host-port-unique", "A hostPort (per protocol and hostIP) is used once in a pod", WORKLOADS,
         ("{pod}",), c.host_ports_unique, "Duplicate value: {value}", f"{POD_DOC}#ports"),
    Rule("api-security-context-ids", "runAsUser, runAsGroup and fsGroup are between 0 and 2147483647", WORKLOADS,
         tuple(f"{where}.securityContext.{key}" for where in ("{pod}", "{containers}")
               for key in ("runAsUser", "runAsGroup")) + ("{pod}.securityContext.fsGroup",),
         between(0, 2147483647), RANGE, f"{POD_DOC}#security-context"),
    Rule("api-pod-hostname", "A pod's hostname and subdomain are DNS labels", WORKLOADS,
         ("{pod}.hostname", "{pod}.subdomain"), string_format(f.dns1123_label_errors), INVALID,
         f"{CONCEPTS}/services-networking/dns-pod-service/#pod-s-hostname-and-subdomain-fields"),
    Rule("api-probe-handler", "A probe has exactly one of exec, httpGet, tcpSocket, grpc", WORKLOADS, PROBES,
         c.probe_handler, DETAIL, f"{POD_DOC}#Probe"),
    Rule("api-probe-success-threshold", "Liveness and startup probes need successThreshold 1", WORKLOADS,
         ("{containers}.livenessProbe", "{containers}.startupProbe"), c.success_threshold_one,
         "Invalid value: {value}: must be 1", f"{POD_DOC}#Probe"),
    Rule("api-probe-numbers", "Probe delays, periods and thresholds are not negative", WORKLOADS,
         tuple(f"{p}.{n}" for p in PROBES for n in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds",
                                                     "successThreshold", "failureThreshold")),
         at_least(0), MIN, f"{POD_DOC}#Probe"),
    Rule("api-probe-grace-period", "A probe's terminationGracePeriodSeconds is positive (the pod's own may be "
         "negative: the API server treats it as 1)", WORKLOADS,
         tuple(f"{p}.terminationGracePeriodSeconds" for p in PROBES), at_least(1),
         "Invalid value: {value}: must be greater than 0", f"{POD_DOC}#Probe"),
    Rule("api-active-deadline", "A pod's activeDeadlineSeconds is between 1 and 2147483647", WORKLOADS,
         ("{pod}.activeDeadlineSeconds",), between(1, 2147483647), RANGE, f"{POD_DOC}#lifecycle"),
    Rule("api-enum-termination-message-policy", "terminationMessagePolicy is File or FallbackToLogsOnError",
         WORKLOADS, ("{containers}.terminationMessagePolicy",), one_of("File", "FallbackToLogsOnError"),
         UNSUPPORTED, f"{POD_DOC}#Container"),
    Rule("api-enum-toleration", "Toleration operators are Exists or Equal", WORKLOADS,
         ("{pod}.tolerations[*].operator",), one_of("Equal", "Exists"), UNSUPPORTED,
         f"{CONCEPTS}/scheduling-eviction/taint-and-toleration/"),
    Rule("api-enum-toleration", "Toleration effects are NoSchedule, PreferNoSchedule or NoExecute", WORKLOADS,
         ("{pod}.tolerations[*].effect",), one_of("NoSchedule", "PreferNoSchedule", "NoExecute"), UNSUPPORTED,
         f"{CONCEPTS}/scheduling-eviction/taint-and-toleration/"),
    Rule("api-toleration-fields", "A toleration with operator Exists has no value; an empty key needs "
         "Exists; tolerationSeconds needs effect NoExecute", WORKLOADS, ("{pod}.tolerations[*]",), c.toleration,
         DETAIL,
         f"{CONCEPTS}/scheduling-eviction/taint-and-toleration/"),
    Rule("api-enum-seccomp-type", "seccompProfile.type is RuntimeDefault, Unconfined or Localhost", WORKLOADS,
         ("{pod}.securityContext.seccompProfile.type", "{containers}.securityContext.seccompProfile.type"),
         one_of("Localhost", "RuntimeDefault", "Unconfined"), UNSUPPORTED,
         "https://kubernetes.io/docs/tutorials/security/seccomp/"),
    Rule("api-topology-spread", "topologySpreadConstraints: maxSkew at least 1; whenUnsatisfiable is "
         "DoNotSchedule or ScheduleAnyway", WORKLOADS, ("{pod}.topologySpreadConstraints[*].maxSkew",),
         at_least(1), "Invalid value: {value}: must be greater than zero",
         f"{CONCEPTS}/scheduling-eviction/topology-spread-constraints/"),
    Rule("api-topology-spread", "whenUnsatisfiable is DoNotSchedule or ScheduleAnyway", WORKLOADS,
         ("{pod}.topologySpreadConstraints[*].whenUnsatisfiable",), one_of("DoNotSchedule", "ScheduleAnyway"),
         UNSUPPORTED, f"{CONCEPTS}/scheduling-eviction/topology-spread-constraints/"),

    # ---- workload controllers --------------------------------------------------------------------
    Rule("api-replicas-range", "replicas is not negative", ("Deployment", "StatefulSet", "ReplicaSet"),
         ("spec.replicas",), at_least(0), MIN, f"{REF}/workload-resources/deployment-v1/#DeploymentSpec"),
    Rule("api-controller-counts", "minReadySeconds, revisionHistoryLimit and progressDeadlineSeconds are not "
         "negative", APPS, ("spec.minReadySeconds", "spec.revisionHistoryLimit", "spec.progressDeadlineSeconds"),
         at_least(0), MIN, f"{REF}/workload-resources/deployment-v1/#DeploymentSpec"),
    Rule("api-progress-deadline", "progressDeadlineSeconds is greater than minReadySeconds", ("Deployment",),
         ("spec",), c.progress_deadline, "Invalid value: {value}: must be greater than minReadySeconds",
         f"{CONCEPTS}/workloads/controllers/deployment/#progress-deadline-seconds"),
    Rule("api-selector-matches-template", "apps/v1 controllers need a non-empty selector that selects the pod "
         "template's labels", APPS, ("spec",), c.selector_matches_template, DETAIL,
         f"{CONCEPTS}/workloads/controllers/deployment/#selector", api_versions=("apps/v1",)),
    Rule("api-label-selector", "Selector expressions: In/NotIn need values, Exists/DoesNotExist take none",
         (*APPS, "Job", "PodDisruptionBudget", "NetworkPolicy"),
         ("spec.selector", "spec.podSelector", "spec.ingress[*].from[*].podSelector",
          "spec.ingress[*].from[*].namespaceSelector", "spec.egress[*].to[*].podSelector",
          "spec.egress[*].to[*].namespaceSelector"), c.label_selector, DETAIL,
         f"{CONCEPTS}/overview/working-with-objects/labels/#set-based-requirement"),
    Rule("api-enum-deployment-strategy", "Deployment strategy type is Recreate or RollingUpdate", ("Deployment",),
         ("spec.strategy.type",), one_of("Recreate", "RollingUpdate"), UNSUPPORTED,
         f"{CONCEPTS}/workloads/controllers/deployment/#strategy"),
    Rule("api-recreate-no-rolling-update", "A Recreate strategy has no rollingUpdate", ("Deployment",),
         ("spec.strategy",), c.recreate_has_no_rolling_update,
         "Forbidden: may not be specified when strategy `type` is 'Recreate'",
         f"{CONCEPTS}/workloads/controllers/deployment/#strategy"),
    Rule("api-enum-update-strategy", "DaemonSet updateStrategy type is RollingUpdate or OnDelete",
         ("DaemonSet",), ("spec.updateStrategy.type",), one_of("RollingUpdate", "OnDelete"),
         UNSUPPORTED, f"{REF}/workload-resources/daemon-set-v1/#DaemonSetSpec"),
    Rule("api-enum-update-strategy", "StatefulSet updateStrategy type is RollingUpdate or OnDelete; OnDelete takes "
         "no rollingUpdate", ("StatefulSet",), ("spec.updateStrategy",), c.statefulset_update_strategy, DETAIL,
         f"{CONCEPTS}/workloads/controllers/statefulset/#update-strategies"),
    Rule("api-template-active-deadline", "Deployment, ReplicaSet, StatefulSet and DaemonSet templates take no "
         "activeDeadlineSeconds", APPS, ("{pod}",), c.template_active_deadline,
         "Forbidden: activeDeadlineSeconds in {owner} is not Supported", f"{POD_DOC}#lifecycle"),
    Rule("api-statefulset-service-name", "A StatefulSet's serviceName is a DNS label (it becomes the pods' "
         "subdomain)", ("StatefulSet",), ("spec.serviceName",), string_format(f.dns1123_label_errors), INVALID,
         f"{REF}/workload-resources/stateful-set-v1/#StatefulSetSpec", since="1.33"),
    Rule("api-rolling-update-percent", "maxSurge and maxUnavailable are non-negative integers or 'N%'",
         ("Deployment", "DaemonSet"),
         ("spec.strategy.rollingUpdate.maxSurge", "spec.strategy.rollingUpdate.maxUnavailable",
          "spec.updateStrategy.rollingUpdate.maxSurge", "spec.updateStrategy.rollingUpdate.maxUnavailable"),
         c.int_or_percent, INVALID, f"{CONCEPTS}/workloads/controllers/deployment/#max-unavailable"),
    Rule("api-rolling-update-percent", "maxUnavailable (and a DaemonSet's maxSurge) is at most 100%",
         ("Deployment", "DaemonSet"), ("spec.strategy.rollingUpdate.maxUnavailable",
                                       "spec.updateStrategy.rollingUpdate.maxUnavailable",
                                       "spec.updateStrategy.rollingUpdate.maxSurge"),
         c.not_over_100_percent, INVALID, f"{CONCEPTS}/workloads/controllers/deployment/#max-unavailable"),
    Rule("api-surge-unavailable", "After defaults (25%/25% for Deployments, maxUnavailable 1 and maxSurge 0 "
         "for DaemonSets), maxSurge and maxUnavailable are not both 0; a DaemonSet may not set both",
         ("Deployment", "DaemonSet"), ("spec.strategy.rollingUpdate", "spec.updateStrategy.rollingUpdate"),
         c.surge_and_unavailable, DETAIL,
         f"{CONCEPTS}/workloads/controllers/deployment/#max-surge"),
    Rule("api-enum-pod-management-policy", "podManagementPolicy is OrderedReady or Parallel", ("StatefulSet",),
         ("spec.podManagementPolicy",), one_of("OrderedReady", "Parallel"),
         "Invalid value: {value}: must be 'OrderedReady' or 'Parallel'",
         f"{CONCEPTS}/workloads/controllers/statefulset/#pod-management-policies"),
    Rule("api-enum-pvc-retention-policy", "persistentVolumeClaimRetentionPolicy values are Retain or Delete",
         ("StatefulSet",), ("spec.persistentVolumeClaimRetentionPolicy.whenDeleted",
                            "spec.persistentVolumeClaimRetentionPolicy.whenScaled"), one_of("Retain", "Delete"),
         UNSUPPORTED, f"{CONCEPTS}/workloads/controllers/statefulset/#persistentvolumeclaim-retention"),
    Rule("api-statefulset-partition", "rollingUpdate.partition is not negative", ("StatefulSet",),
         ("spec.updateStrategy.rollingUpdate.partition",), at_least(0), MIN,
         f"{CONCEPTS}/workloads/controllers/statefulset/#partitions"),

    # ---- Job and CronJob -------------------------------------------------------------------------
    Rule("api-job-counts", "parallelism, completions, backoffLimit, activeDeadlineSeconds and "
         "ttlSecondsAfterFinished are not negative", JOBS,
         tuple(f"{{job}}.{n}" for n in ("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds",
                                       "ttlSecondsAfterFinished")), at_least(0), MIN,
         f"{REF}/workload-resources/job-v1/#JobSpec"),
    Rule("api-enum-completion-mode", "completionMode is NonIndexed or Indexed", JOBS, ("{job}.completionMode",),
         one_of("Indexed", "NonIndexed"), UNSUPPORTED, f"{CONCEPTS}/workloads/controllers/job/#completion-mode"),
    Rule("api-job-indexed-completions", "An Indexed Job sets completions", JOBS, ("{job}",),
         c.indexed_job_completions, DETAIL, f"{CONCEPTS}/workloads/controllers/job/#completion-mode"),
    Rule("api-enum-concurrency-policy", "CronJob concurrencyPolicy is Allow, Forbid or Replace", ("CronJob",),
         ("spec.concurrencyPolicy",), one_of("Allow", "Forbid", "Replace"), UNSUPPORTED,
         f"{CONCEPTS}/workloads/controllers/cron-jobs/#concurrency-policy"),
    Rule("api-cron-schedule", "CronJob schedule: 5 fields in range, or @yearly/@monthly/@weekly/@daily/@hourly/"
         "@every; no TZ= inside (use timeZone)", ("CronJob",), ("spec.schedule",), c.cron_schedule, INVALID,
         f"{CONCEPTS}/workloads/controllers/cron-jobs/#schedule-syntax"),
    Rule("api-cron-time-zone", "CronJob timeZone is an IANA time zone name, not Local", ("CronJob",),
         ("spec.timeZone",), c.time_zone, INVALID, f"{CONCEPTS}/workloads/controllers/cron-jobs/#time-zones"),
    Rule("api-cronjob-counts", "startingDeadlineSeconds and job history limits are not negative", ("CronJob",),
         ("spec.startingDeadlineSeconds", "spec.successfulJobsHistoryLimit", "spec.failedJobsHistoryLimit"),
         at_least(0), MIN, f"{REF}/workload-resources/cron-job-v1/#CronJobSpec"),

    # ---- Service ---------------------------------------------------------------------------------
    Rule("api-enum-service-type", "Service type is ClusterIP, NodePort, LoadBalancer or ExternalName",
         ("Service",), ("spec.type",), one_of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"),
         UNSUPPORTED, f"{CONCEPTS}/services-networking/service/#publishing-services-service-types"),
    Rule("api-enum-traffic-policy", "externalTrafficPolicy and internalTrafficPolicy are Cluster or Local",
         ("Service",), ("spec.externalTrafficPolicy", "spec.internalTrafficPolicy"), one_of("Cluster", "Local"),
         UNSUPPORTED, f"{CONCEPTS}/services-networking/service/#traffic-policies"),
    Rule("api-enum-session-affinity", "sessionAffinity is ClientIP or None", ("Service",),
         ("spec.sessionAffinity",), one_of("ClientIP", "None"), UNSUPPORTED, f"{SERVICE_DOC}#ServiceSpec"),
    Rule("api-enum-ip-family-policy", "ipFamilyPolicy is SingleStack, PreferDualStack or RequireDualStack",
         ("Service",), ("spec.ipFamilyPolicy",), one_of("PreferDualStack", "RequireDualStack", "SingleStack"),
         UNSUPPORTED, f"{CONCEPTS}/services-networking/dual-stack/"),
    Rule("api-service-ports", "Service ports: names required when there are several, unique names, unique "
         "port/protocol pairs; ports required unless headless or ExternalName", ("Service",), ("spec",),
         c.service_ports, DETAIL, f"{SERVICE_DOC}#ServiceSpec"),
    Rule("api-service-port-name", "Service port names are lowercase RFC 1123 labels", ("Service",),
         ("spec.ports[*].name",), string_format(f.dns1123_label_errors), INVALID, f"{SERVICE_DOC}#ServiceSpec"),
    Rule("api-service-type-fields", "No nodePort on ClusterIP/ExternalName Services; clusterIP None only for "
         "ClusterIP; ExternalName needs a DNS externalName and no clusterIP; externalTrafficPolicy only for "
         "NodePort/LoadBalancer", ("Service",), ("spec",), c.service_type_fields, DETAIL,
         f"{CONCEPTS}/services-networking/service/"),
    Rule("api-service-addresses", "clusterIP is empty, None or an IP address; externalIPs are IP addresses; "
         "loadBalancerSourceRanges are CIDRs", ("Service",), ("spec",), c.service_addresses, DETAIL,
         f"{SERVICE_DOC}#ServiceSpec"),
    Rule("api-label-key", "Service selector keys are label keys", ("Service",), ("spec.selector",),
         each_key(f.qualified_name_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/labels/#syntax-and-character-set"),
    Rule("api-label-value", "Service selector values are label values", ("Service",), ("spec.selector",),
         each_value(f.label_value_errors), INVALID,
         f"{CONCEPTS}/overview/working-with-objects/labels/#syntax-and-character-set"),

    # ---- Ingress ---------------------------------------------------------------------------------
    Rule("api-enum-ingress-path-type", "pathType is Exact, Prefix or ImplementationSpecific", ("Ingress",),
         ("spec.rules[*].http.paths[*].pathType",), one_of("Exact", "ImplementationSpecific", "Prefix"),
         UNSUPPORTED, f"{CONCEPTS}/services-networking/ingress/#path-types"),
    Rule("api-ingress-path", "networking.k8s.io/v1 paths need a pathType; Exact and Prefix paths are absolute "
         "without //, /./, /../, %2f or a trailing /. or /..; ImplementationSpecific paths, when set, absolute",
         ("Ingress",), ("spec.rules[*].http.paths[*]",), c.ingress_path, DETAIL,
         f"{CONCEPTS}/services-networking/ingress/#path-types", api_versions=("networking.k8s.io/v1",)),
    Rule("api-ingress-backend", "A backend is a service (a Service name, a port name or number, not both) or a "
         "resource, not both", ("Ingress",), ("spec.rules[*].http.paths[*].backend", "spec.defaultBackend"),
         c.ingress_backend, DETAIL, f"{INGRESS_DOC}#IngressBackend", api_versions=("networking.k8s.io/v1",)),
    Rule("api-ingress-host", "Rule and TLS hosts are DNS names (a whole first label '*' allowed), not IP addresses",
         ("Ingress",), ("spec.rules[*].host", "spec.tls[*].hosts[*]"), c.ingress_host, INVALID,
         f"{CONCEPTS}/services-networking/ingress/#hostname-wildcards"),
    Rule("api-ingress-target", "An Ingress has rules or a defaultBackend", ("Ingress",), ("spec",),
         c.ingress_has_target, DETAIL, f"{INGRESS_DOC}#IngressSpec"),
    Rule("api-ingress-class", "ingressClassName and TLS secretName are DNS subdomains", ("Ingress",),
         ("spec.ingressClassName", "spec.tls[*].secretName"), string_format(f.dns1123_subdomain_errors), INVALID,
         f"{CONCEPTS}/services-networking/ingress/#ingress-class", api_versions=("networking.k8s.io/v1",)),
    Rule("api-ingress-class", "The kubernetes.io/ingress.class annotation and spec.ingressClassName are not both "
         "set", ("Ingress",), ("",), c.ingress_class_once,
         "Invalid value: {value}: can not be set when the class field is also set",
         f"{CONCEPTS}/services-networking/ingress/#deprecated-annotation"),

    # ---- ConfigMap and Secret --------------------------------------------------------------------
    Rule("api-config-key", "ConfigMap and Secret keys: alphanumerics, '-', '_' or '.'", ("ConfigMap", "Secret"),
         ("data", "binaryData", "stringData"), each_key(f.config_key_errors), INVALID,
         f"{REF}/config-and-storage-resources/config-map-v1/"),
    Rule("api-configmap-duplicate-key", "A key is in data or binaryData, not both", ("ConfigMap",), ("",),
         c.config_duplicate_keys, "Invalid value: {value}: duplicate of key present in binaryData",
         f"{REF}/config-and-storage-resources/config-map-v1/"),
    Rule("api-config-size", "ConfigMap and Secret data together are at most 1 MiB", ("ConfigMap", "Secret"),
         ("",), c.config_size, "Too long: must have at most {limit} bytes",
         f"{CONCEPTS}/configuration/configmap/#motivation"),
    Rule("api-secret-base64", "Secret data values are standard base64 (use stringData for plain text)",
         ("Secret",), ("data",), c.base64_values,
         "Secret in version \"v1\" cannot be handled as a Secret: {detail}",
         f"{CONCEPTS}/configuration/secret/#restriction-names-data"),
    Rule("api-secret-type-keys", "Typed Secrets carry their keys: tls.crt and tls.key, .dockerconfigjson, "
         ".dockercfg, ssh-privatekey, username or password, the service-account annotation", ("Secret",), ("",),
         c.secret_type_keys, DETAIL, f"{CONCEPTS}/configuration/secret/#secret-types"),

    # ---- PersistentVolumeClaim -------------------------------------------------------------------
    Rule("api-enum-access-mode", "accessModes are ReadWriteOnce, ReadOnlyMany, ReadWriteMany or "
         "ReadWriteOncePod", ("PersistentVolumeClaim", "StatefulSet"), tuple(f"{p}.accessModes[*]" for p in PVC_SPECS),
         one_of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"), UNSUPPORTED,
         f"{CONCEPTS}/storage/persistent-volumes/#access-modes"),
    Rule("api-pvc-access-modes", "A claim has at least one access mode; ReadWriteOncePod stands alone",
         ("PersistentVolumeClaim", "StatefulSet"), PVC_SPECS,
         c.access_modes, DETAIL, f"{CONCEPTS}/storage/persistent-volumes/#access-modes"),
    Rule("api-enum-volume-mode", "volumeMode is Filesystem or Block", ("PersistentVolumeClaim", "StatefulSet"),
         tuple(f"{p}.volumeMode" for p in PVC_SPECS), one_of("Block", "Filesystem"), UNSUPPORTED,
         f"{CONCEPTS}/storage/persistent-volumes/#volume-mode"),
    Rule("api-pvc-storage-request", "A claim requests a positive storage quantity",
         ("PersistentVolumeClaim", "StatefulSet"), PVC_SPECS, c.storage_request, DETAIL,
         f"{PVC_DOC}#PersistentVolumeClaimSpec"),
    Rule("api-resource-quantity", "Claim requests and limits are non-negative quantities",
         ("PersistentVolumeClaim", "StatefulSet"), tuple(f"{p}.resources" for p in PVC_SPECS),
         c.resource_quantities, INVALID, f"{REF}/common-definitions/quantity/"),

    # ---- HorizontalPodAutoscaler (autoscaling/v2) -------------------------------------------------
    Rule("api-hpa-replicas", "minReplicas at least 1, maxReplicas at least 1 and at least minReplicas",
         ("HorizontalPodAutoscaler",), ("spec",), c.hpa_replicas, DETAIL, f"{HPA_DOC}#HorizontalPodAutoscalerSpec"),
    Rule("api-hpa-scale-target", "scaleTargetRef has a kind and a valid name", ("HorizontalPodAutoscaler",),
         ("spec",), c.hpa_scale_target, DETAIL, f"{HPA_DOC}#HorizontalPodAutoscalerSpec"),
    Rule("api-enum-hpa-metric-type", "Metric types are Object, Pods, Resource or External "
         "(ContainerResource from 1.27)", ("HorizontalPodAutoscaler",), ("spec.metrics[*].type",),
         one_of("ContainerResource", "External", "Object", "Pods", "Resource"), UNSUPPORTED, f"{HPA_DOC}#MetricSpec",
         since="1.27", api_versions=("autoscaling/v2",)),
    Rule("api-enum-hpa-metric-type", "Metric types are Object, Pods, Resource or External",
         ("HorizontalPodAutoscaler",),
         ("spec.metrics[*].type",), one_of("External", "Object", "Pods", "Resource"), UNSUPPORTED,
         f"{HPA_DOC}#MetricSpec", until="1.26", api_versions=("autoscaling/v2",)),
    Rule("api-enum-hpa-target-type", "Metric target types are Utilization, Value or AverageValue",
         ("HorizontalPodAutoscaler",), tuple(f"spec.metrics[*].{s}.target.type" for s in
                                            ("resource", "containerResource", "pods", "object", "external")),
         one_of("Utilization", "Value", "AverageValue"),
         "Invalid value: {value}: must be either Utilization, Value, or AverageValue", f"{HPA_DOC}#MetricSpec",
         api_versions=("autoscaling/v2",)),
    Rule("api-hpa-metric-source", "A metric fills the source its type names; resource metrics target "
         "averageUtilization or averageValue (not both), pods metrics averageValue, object and external metrics "
         "value or averageValue; targets are positive", ("HorizontalPodAutoscaler",), ("spec.metrics[*]",),
         c.hpa_metric, DETAIL, f"{HPA_DOC}#MetricSpec", api_versions=("autoscaling/v2",)),
    Rule("api-enum-hpa-behavior", "Scaling policy selectPolicy is Max, Min or Disabled", ("HorizontalPodAutoscaler",),
         ("spec.behavior.scaleUp.selectPolicy", "spec.behavior.scaleDown.selectPolicy"),
         one_of("Disabled", "Max", "Min"), UNSUPPORTED, f"{HPA_DOC}#HorizontalPodAutoscalerBehavior",
         api_versions=("autoscaling/v2",)),
    Rule("api-enum-hpa-behavior", "Scaling policy type is Pods or Percent", ("HorizontalPodAutoscaler",),
         ("spec.behavior.scaleUp.policies[*].type", "spec.behavior.scaleDown.policies[*].type"),
         one_of("Percent", "Pods"), UNSUPPORTED, f"{HPA_DOC}#HorizontalPodAutoscalerBehavior",
         api_versions=("autoscaling/v2",)),
    Rule("api-hpa-behavior-range", "Scaling policy periodSeconds is 1 to 1800", ("HorizontalPodAutoscaler",),
         ("spec.behavior.scaleUp.policies[*].periodSeconds", "spec.behavior.scaleDown.policies[*].periodSeconds"),
         between(1, 1800), RANGE, f"{HPA_DOC}#HorizontalPodAutoscalerBehavior", api_versions=("autoscaling/v2",)),
    Rule("api-hpa-behavior-range", "stabilizationWindowSeconds is 0 to 3600", ("HorizontalPodAutoscaler",),
         ("spec.behavior.scaleUp.stabilizationWindowSeconds", "spec.behavior.scaleDown.stabilizationWindowSeconds"),
         between(0, 3600), RANGE, f"{HPA_DOC}#HorizontalPodAutoscalerBehavior", api_versions=("autoscaling/v2",)),
    Rule("api-hpa-behavior-range", "Scaling policy value is at least 1", ("HorizontalPodAutoscaler",),
         ("spec.behavior.scaleUp.policies[*].value", "spec.behavior.scaleDown.policies[*].value"),
         at_least(1), "Invalid value: {value}: must be greater than zero",
         f"{HPA_DOC}#HorizontalPodAutoscalerBehavior", api_versions=("autoscaling/v2",)),

    # ---- PodDisruptionBudget ---------------------------------------------------------------------
    Rule("api-pdb-budget", "minAvailable and maxUnavailable are non-negative integers or percentages up to 100%",
         ("PodDisruptionBudget",), ("spec.minAvailable", "spec.maxUnavailable"), c.int_or_percent, INVALID,
         f"{CONCEPTS}/workloads/pods/disruptions/#pod-disruption-budgets"),
    Rule("api-pdb-budget", "PDB percentages are at most 100%", ("PodDisruptionBudget",),
         ("spec.minAvailable", "spec.maxUnavailable"), c.not_over_100_percent, INVALID,
         f"{CONCEPTS}/workloads/pods/disruptions/#pod-disruption-budgets"),
    Rule("api-pdb-exclusive", "A PDB sets minAvailable or maxUnavailable, not both", ("PodDisruptionBudget",),
         ("spec",), c.pdb_exclusive, DETAIL, "https://kubernetes.io/docs/tasks/run-application/configure-pdb/"),
    Rule("api-enum-pdb-unhealthy-pod-eviction-policy", "unhealthyPodEvictionPolicy is IfHealthyBudget or "
         "AlwaysAllow", ("PodDisruptionBudget",), ("spec.unhealthyPodEvictionPolicy",),
         one_of("AlwaysAllow", "IfHealthyBudget"), UNSUPPORTED,
         "https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy",
         since="1.27"),

    # ---- RBAC ------------------------------------------------------------------------------------
    Rule("api-rbac-policy-rule", "A rule has verbs; resource rules have apiGroups and resources; only "
         "ClusterRoles use nonResourceURLs, never mixed with resources", ("Role", "ClusterRole"),
         ("rules[*]",), c.policy_rule, DETAIL, f"{RBAC_DOC}role-v1/#PolicyRule"),
    Rule("api-rbac-role-ref", "roleRef names a Role or ClusterRole (ClusterRoleBindings: ClusterRole) of "
         "rbac.authorization.k8s.io", ("RoleBinding", "ClusterRoleBinding"), ("roleRef",), c.role_ref, DETAIL,
         f"{RBAC_DOC}role-binding-v1/#RoleRef"),
    Rule("api-rbac-subject", "Subjects are ServiceAccount (apiGroup \"\", namespaced in ClusterRoleBindings), "
         "User or Group", ("RoleBinding", "ClusterRoleBinding"), ("subjects[*]",), c.subject, DETAIL,
         f"{RBAC_DOC}role-binding-v1/#Subject"),

    # ---- NetworkPolicy ---------------------------------------------------------------------------
    Rule("api-enum-network-policy-type", "policyTypes are Ingress or Egress", ("NetworkPolicy",),
         ("spec.policyTypes[*]",), one_of("Egress", "Ingress"), UNSUPPORTED,
         f"{CONCEPTS}/services-networking/network-policies/"),
    Rule("api-network-policy-port", "Ports 1 to 65535 or a service name; endPort needs a numeric port and is "
         "at least port", ("NetworkPolicy",), ("spec.ingress[*].ports[*].port", "spec.egress[*].ports[*].port"),
         c.named_port, INVALID, f"{NETPOL_DOC}#NetworkPolicySpec"),
    Rule("api-network-policy-port", "endPort needs a numeric port and is at least port", ("NetworkPolicy",),
         ("spec.ingress[*].ports[*]", "spec.egress[*].ports[*]"), c.network_policy_port, DETAIL,
         f"{NETPOL_DOC}#NetworkPolicySpec"),
    Rule("api-network-policy-peer", "A peer is a pod and/or namespace selector, or an ipBlock alone",
         ("NetworkPolicy",), ("spec.ingress[*].from[*]", "spec.egress[*].to[*]"), c.network_policy_peer, DETAIL,
         f"{NETPOL_DOC}#NetworkPolicySpec"),
    Rule("api-network-policy-ip-block", "ipBlock cidr is a CIDR; each except is a strict subset of it",
         ("NetworkPolicy",), ("spec.ingress[*].from[*].ipBlock", "spec.egress[*].to[*].ipBlock"), c.ip_block,
         DETAIL, f"{NETPOL_DOC}#NetworkPolicySpec"),
)
