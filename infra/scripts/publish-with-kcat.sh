#!/usr/bin/env bash
# An integrator's client for the Kafka door, with kcat: one event in structured content mode, one in
# binary content mode (ce_ headers), and one that is refused and lands on gov.deadletter.
#
#   bash infra/scripts/publish-with-kcat.sh "$(cat .data/run/bootstrap)" "$(cat .data/run/loader.token)"
#
# The token must grant source /430424/departments/kcat and region 430424 (an admin token does), e.g.
#   chancery tokens add --role integrator --source /430424/departments/kcat --region 430424 --quiet
#
# Then: kcat -C -b <address> -t gov.deadletter -e -f '%k %h\n'   (the reason headers)
#       chancery deadletter list --kafka-brokers <address>
set -euo pipefail
brokers=${1:?usage: publish-with-kcat.sh BOOTSTRAP_SERVERS TOKEN}
token=${2:-${CHANCERY_TOKEN:?usage: publish-with-kcat.sh BOOTSTRAP_SERVERS TOKEN}}
auth="authorization=Bearer $token"
n="kcat-$(date +%s)"
subject="case/430424/$n"

# Structured content mode: the whole CloudEvent is the value.
printf '%s' "{\"specversion\":\"1.0\",\"id\":\"$n-1\",\"source\":\"/430424/departments/kcat\",\"type\":\"gov.approval.case.submitted\",\"subject\":\"$subject\",\"time\":\"2025-06-02T09:00:00+08:00\",\"region\":\"430424\",\"expectedsequence\":\"no-stream\",\"data\":{\"caseNumber\":\"$n\",\"itemCode\":\"430424XK001\",\"departmentCode\":\"kcat\",\"applicantName\":\"张三\"}}" |
  kcat -P -X partitioner=murmur2_random -b "$brokers" -t gov.inbound -k "$subject" -H "$auth" -H "content-type=application/cloudevents+json"

# Binary content mode: attributes as ce_ headers, data as the value.
printf '%s' '{"caseType":"promised","promisedLimit":5}' |
  kcat -P -X partitioner=murmur2_random -b "$brokers" -t gov.inbound -k "$subject" -H "$auth" \
    -H ce_specversion=1.0 -H "ce_id=$n-2" -H ce_source=/430424/departments/kcat -H ce_type=gov.approval.case.accepted \
    -H "ce_subject=$subject" -H ce_time=2025-06-02T10:00:00+08:00 -H ce_region=430424 -H ce_expectedsequence=1 \
    -H content-type=application/json

# Refused: a conclusion before any decision (lifecycle violation) goes to gov.deadletter.
printf '%s' "{\"specversion\":\"1.0\",\"id\":\"$n-3\",\"source\":\"/430424/departments/kcat\",\"type\":\"gov.approval.case.concluded\",\"subject\":\"$subject\",\"time\":\"2025-06-02T11:00:00+08:00\",\"region\":\"430424\",\"data\":{}}" |
  kcat -P -X partitioner=murmur2_random -b "$brokers" -t gov.inbound -k "$subject" -H "$auth"

echo "published 3 records for $subject to gov.inbound"
