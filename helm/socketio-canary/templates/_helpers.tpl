{{/* Names and labels, in the shape `helm create` uses so other tooling recognises them. */}}

{{- define "socketio-canary.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "socketio-canary.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "socketio-canary.selectorLabels" -}}
app.kubernetes.io/name: {{ include "socketio-canary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "socketio-canary.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "socketio-canary.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The env var that carries the token of target number $index (its position in .Values.targets). */}}
{{- define "socketio-canary.tokenEnv" -}}
{{- printf "CANARY_TOKEN_%d" . }}
{{- end }}

{{/*
The env var that carries secret header number $h (in the alphabetical order of the header names
of the target's headerSecrets) of target number $t: CANARY_HEADER_<t>_<h>. Called with (list $t $h).
*/}}
{{- define "socketio-canary.headerEnv" -}}
{{- printf "CANARY_HEADER_%d_%d" (index . 0) (index . 1) }}
{{- end }}

{{/*
How many canaries one pod runs, as far as the values tell: clients × transport modes summed over
the targets, each falling back to targetDefaults and then to the agent's reference.conf (2 clients,
all three modes; ChartJvmOptionsIT checks these two against it), divided by the shard count when
sharding (rounded up: rendezvous hashing splits targets about evenly, not exactly).
*/}}
{{- define "socketio-canary.canariesPerPod" -}}
{{- $defaults := .Values.targetDefaults | default dict }}
{{- $clients := hasKey $defaults "clients" | ternary $defaults.clients 2 }}
{{- $modes := hasKey $defaults "transports" | ternary (len ($defaults.transports | default list)) 3 }}
{{- $total := 0 }}
{{- range .Values.targets }}
{{- $total = add $total (mul (hasKey . "clients" | ternary .clients $clients) (hasKey . "transports" | ternary (len (.transports | default list)) $modes)) }}
{{- end }}
{{- if .Values.sharding.enabled }}
{{- $total = div (add $total (sub .Values.sharding.replicas 1)) .Values.sharding.replicas }}
{{- end }}
{{- $total }}
{{- end }}

{{/*
The image's JVM flags for a thousand canaries or more (docs/docker.md, "A thousand canaries or more
in one agent"): its own list without -XX:TieredStopAtLevel=1, so C2 compiles the hot paths, and with
-XX:TrimNativeHeapInterval, so the compiler's freed memory goes back to the OS. ChartJvmOptionsIT
holds it to the Dockerfile's list and to docs/docker.md.
*/}}
{{- define "socketio-canary.largeFleetJvmOptions" -}}
-XX:+UseSerialGC -Xms8m -XX:NewRatio=5 -XX:MaxNewSize=16m -XX:MinHeapFreeRatio=75 -XX:MaxHeapFreeRatio=85 -XX:PerfDataSamplingInterval=1000 -XX:TrimNativeHeapInterval=10000 -XX:SharedArchiveFile=/opt/socketio-canary/agent.jsa -Xlog:disable -Xlog:all=warning:stderr
{{- end }}

{{/*
Which JVM flags a pod gets (jvm.options in values.yaml): "extraEnv" (extraEnv sets JDK_JAVA_OPTIONS
itself), "large" (auto, at largeFleetFrom canaries or more), "image" (auto below it, or image:
the image's own apply) or "values" (the list in jvm.options).
*/}}
{{- define "socketio-canary.jvmChoice" -}}
{{- $options := .Values.jvm.options | default "auto" }}
{{- $choice := "values" }}
{{- if eq $options "auto" }}
{{- $large := ge (include "socketio-canary.canariesPerPod" . | int) (.Values.jvm.largeFleetFrom | default 1000 | int) }}
{{- $choice = $large | ternary "large" "image" }}
{{- else if eq $options "image" }}
{{- $choice = "image" }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if eq (.name | default "") "JDK_JAVA_OPTIONS" }}{{ $choice = "extraEnv" }}{{ end }}
{{- end }}
{{- $choice }}
{{- end }}

{{/* The pod's JDK_JAVA_OPTIONS as the chart sets it; empty: the chart sets none. */}}
{{- define "socketio-canary.jvmOptions" -}}
{{- $choice := include "socketio-canary.jvmChoice" . }}
{{- if eq $choice "large" }}
{{- include "socketio-canary.largeFleetJvmOptions" . }}
{{- else if eq $choice "values" }}
{{- .Values.jvm.options }}
{{- end }}
{{- end }}

{{/*
The pod template shared by the Deployment and the sharded StatefulSet. The config checksum rolls
the pods when the rendered ConfigMap changes (a Secret change does not: restart by hand; files
mounted from a Secret or ConfigMap, such as auth.token-file, are updated in place by the kubelet
and token-file is re-read on every connect).
*/}}
{{- define "socketio-canary.podTemplate" -}}
metadata:
  labels:
    {{- include "socketio-canary.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  # The agent never talks to the Kubernetes API.
  automountServiceAccountToken: false
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  containers:
    - name: agent
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args: ["run", "--config", "/etc/socketio-canary/canary.conf"]
      ports:
        - name: http
          containerPort: {{ .Values.http.port }}
          protocol: TCP
      env:
        - name: CANARY_LOG_LEVEL
          value: {{ .Values.logLevel | quote }}
        # Read by the agent as canary.vantage: a `vantage` label on every metric (see values.yaml).
        - name: CANARY_VANTAGE
          {{- if .Values.vantage }}
          value: {{ .Values.vantage | quote }}
          {{- else }}
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
          {{- end }}
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        {{- if .Values.sharding.enabled }}
        # Read by the agent as canary.sharding.count / .ordinal (see `sharding` in values.yaml).
        - name: CANARY_SHARD_COUNT
          value: {{ .Values.sharding.replicas | quote }}
        - name: CANARY_SHARD_ORDINAL
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
        {{- end }}
        {{- with .Values.rollout }}
        - name: CANARY_ROLLOUT
          value: {{ . | quote }}
        {{- end }}
        {{- with .Values.api.tokenSecret }}
        # canary.api.token, for POST /api/markers and /api/recycle.
        - name: CANARY_API_TOKEN
          valueFrom:
            secretKeyRef:
              name: {{ .name | quote }}
              key: {{ .key | quote }}
        {{- end }}
        {{- range $index, $target := .Values.targets }}
        {{- with $target.tokenSecret }}
        - name: {{ include "socketio-canary.tokenEnv" $index }}
          valueFrom:
            secretKeyRef:
              name: {{ .name | quote }}
              key: {{ .key | quote }}
        {{- end }}
        {{- with $target.headerSecrets }}
        {{- $secrets := . }}
        {{- range $h, $header := keys $secrets | sortAlpha }}
        {{- $ref := get $secrets $header }}
        - name: {{ include "socketio-canary.headerEnv" (list $index $h) }}
          valueFrom:
            secretKeyRef:
              name: {{ $ref.name | quote }}
              key: {{ $ref.key | quote }}
        {{- end }}
        {{- end }}
        {{- end }}
        {{- with include "socketio-canary.jvmOptions" . }}
        # jvm.options in values.yaml; without this variable the image's own flags apply.
        - name: JDK_JAVA_OPTIONS
          value: {{ . | quote }}
        {{- end }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      # A slow JVM start on a small CPU limit must not count as a hung agent.
      startupProbe:
        httpGet:
          path: /health
          port: http
        periodSeconds: 2
        failureThreshold: 60
      livenessProbe:
        httpGet:
          path: /health
          port: http
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      # /ready answers 200 once every fleet has started, whether or not its target is up: a
      # broken target is what the canary reports, not a reason to take the agent out of service.
      readinessProbe:
        httpGet:
          path: /ready
          port: http
        periodSeconds: 5
        timeoutSeconds: 3
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /etc/socketio-canary
          readOnly: true
        # The only writable path: Vert.x file cache and JVM perf data (java.io.tmpdir).
        - name: tmp
          mountPath: /tmp
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "socketio-canary.fullname" . }}
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
