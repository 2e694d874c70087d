-- Column comments for every read-model column that had none (STYLE.md: "every table and column has a comment").
-- Comments only: no table, view or data changes. Columns commented by 0001–0004 keep their comments.
-- Times: timestamptz columns hold instants; "business time" is the event's CloudEvents `time` as sent by the
-- publisher, "database time" is PostgreSQL now() when the row was written. Dates (date columns) are civil dates in
-- the region's time zone (Asia/Shanghai for China) unless stated otherwise.

-- projection.consumer_offsets
COMMENT ON COLUMN projection.consumer_offsets.topic IS 'Full Kafka topic name, including the configured topic prefix (e.g. gov.approval or tenant1.gov.approval).';
COMMENT ON COLUMN projection.consumer_offsets.partition IS 'Kafka partition number (0-based) of topic.';
COMMENT ON COLUMN projection.consumer_offsets.updated_at IS 'Database time (now() of the batch''s transaction) when next_offset was last stored.';

-- projection.stream_positions
COMMENT ON COLUMN projection.stream_positions.consumer_group IS 'Kafka consumer group id whose position this is: chancery-projector (read models) | chancery-supervisor (电子监察).';
COMMENT ON COLUMN projection.stream_positions.stream IS 'Stream id (the event subject), <kind>/<region>/<number>, e.g. case/430424/2026-000123.';
COMMENT ON COLUMN projection.stream_positions.sequence IS 'Sequence (per-stream version 1, 2, 3 …) of the last event of the stream this group applied; the next event must have sequence + 1, a higher one is a gap (quarantined), a lower or equal one a duplicate (skipped).';
COMMENT ON COLUMN projection.stream_positions.hash IS 'Hash of the last applied event of the stream (lower-case hex SHA-256, 64 characters); the next event''s prevhash must equal it, otherwise it is a fork (quarantined).';

-- audit.events
COMMENT ON COLUMN audit.events.source IS 'CloudEvents source: URI-reference of the publishing system, e.g. /430424/departments/planning, or /chancery/supervisor for alerts the supervisor raises; with id the idempotency key (unique).';
COMMENT ON COLUMN audit.events.id IS 'CloudEvents id chosen by the publisher (red/<case subject> for red cards); with source the idempotency key: the same source+id is appended once.';
COMMENT ON COLUMN audit.events.type IS 'CloudEvents type, dotted lower case <topic>.<stream kind>.<event>, e.g. gov.approval.case.accepted (GLOSSARY.md, "Event types").';
COMMENT ON COLUMN audit.events.region IS 'Administrative division code (行政区划代码) of the event: six digits in China (e.g. 430424 Hengdong county), seven for a Canadian census subdivision; equals the region in subject.';
COMMENT ON COLUMN audit.events.topic IS 'Full name of the canonical Kafka topic the event was read from (gov.catalog | gov.approval | gov.disclosure | gov.interaction | gov.supervision, with the configured prefix).';
COMMENT ON COLUMN audit.events.partition IS 'Kafka partition number (0-based) the event was read from.';
COMMENT ON COLUMN audit.events."offset" IS 'Kafka offset of the record in its partition. Offsets are not consecutive (transaction markers take offsets): a gap here never means a missing event; only a gap in sequence does.';
COMMENT ON COLUMN audit.events.prevhash IS 'Hash of the previous event of the same stream (lower-case hex SHA-256, 64 characters); 64 zeros for the first event of a stream. Links the per-stream hash chain.';
COMMENT ON COLUMN audit.events.hash IS 'Lower-case hex SHA-256 (64 characters) of the event''s canonical bytes: the whole CloudEvent without hash, as JSON with keys sorted at every level, no insignificant whitespace, slashes unescaped.';

-- audit.quarantine
COMMENT ON COLUMN audit.quarantine.topic IS 'Full Kafka topic name (with the configured prefix) of the refused record.';
COMMENT ON COLUMN audit.quarantine.partition IS 'Kafka partition number (0-based) of the refused record.';
COMMENT ON COLUMN audit.quarantine."offset" IS 'Kafka offset of the refused record in its partition.';
COMMENT ON COLUMN audit.quarantine.consumer_group IS 'Kafka consumer group that refused the record: chancery-projector | chancery-supervisor.';
COMMENT ON COLUMN audit.quarantine.subject IS 'Stream id (<kind>/<region>/<number>) of the refused event; null when the record could not be decoded as a CloudEvent.';
COMMENT ON COLUMN audit.quarantine.reason IS 'Why it was refused, in words: "undecodable CloudEvent: …", "gap: stream is at N, event has sequence M", "fork: prevhash … does not match head …", "hash mismatch: …" or "event has no sequence or prevhash".';
COMMENT ON COLUMN audit.quarantine.record IS 'The Kafka record value exactly as consumed (raw bytes, normally the CloudEvent JSON).';
COMMENT ON COLUMN audit.quarantine.quarantined_at IS 'Database time when the record was quarantined (first time only; a redelivery adds nothing).';

-- audit.deadletter_retries
COMMENT ON COLUMN audit.deadletter_retries.deadletter_topic IS 'Full name of the dead-letter topic the retried record was read from (gov.deadletter with the configured prefix).';
COMMENT ON COLUMN audit.deadletter_retries.deadletter_partition IS 'Kafka partition number (0-based) of the retried dead letter.';
COMMENT ON COLUMN audit.deadletter_retries.deadletter_offset IS 'Kafka offset of the retried dead letter in its partition.';
COMMENT ON COLUMN audit.deadletter_retries.error_code IS 'The dead letter''s error.code header: the stable reason the gateway refused the record, as the last segment of the HTTP problem type, e.g. malformed-json, invalid-data, unknown-type, lifecycle-violation, version-conflict, duplicate-id-conflict, unauthorized, forbidden; empty when the header was missing.';
COMMENT ON COLUMN audit.deadletter_retries.inbound_topic IS 'Full name of the inbound topic the retry was produced to (gov.inbound with the configured prefix).';
COMMENT ON COLUMN audit.deadletter_retries.inbound_partition IS 'Kafka partition number (0-based) where the retry landed, from the delivery report.';
COMMENT ON COLUMN audit.deadletter_retries.inbound_offset IS 'Kafka offset where the retry landed, from the delivery report; the retried record carries a retry.of header naming the dead letter.';
COMMENT ON COLUMN audit.deadletter_retries.retried_at IS 'Database time when the retry was recorded, just after the broker acknowledged it.';

-- approval.stream_heads
COMMENT ON COLUMN approval.stream_heads.stream IS 'Stream id (the event subject) of any topic, <kind>/<region>/<number>; kind is item | case | document | request | letter | consultation | complaint | alert.';
COMMENT ON COLUMN approval.stream_heads.sequence IS 'Sequence (per-stream version) of the last event of the stream; the gateway appends the next one as sequence + 1.';
COMMENT ON COLUMN approval.stream_heads.hash IS 'Hash of the last event of the stream (lower-case hex SHA-256, 64 characters): the prevhash the gateway gives the next event.';
COMMENT ON COLUMN approval.stream_heads.state IS 'Lifecycle state after the last event (AggregateState JSON, {"<kind>":{"_0":{…}}}, e.g. {"case":{"_0":{"status":"accepted","itemCode":"…","departmentCode":"…"}}}); the gateway checks lifecycle order against it. Null when no state is known.';
COMMENT ON COLUMN approval.stream_heads.updated_at IS 'Database time when the projector last wrote the row.';

-- catalog.items
COMMENT ON COLUMN catalog.items.subject IS 'Stream id of the item (政务服务事项), item/<region>/<item code>.';
COMMENT ON COLUMN catalog.items.region IS 'Administrative division code (行政区划代码) of the catalogue the item belongs to, e.g. 430424.';
COMMENT ON COLUMN catalog.items.item_name IS 'Item name (事项名称), as registered.';
COMMENT ON COLUMN catalog.items.department_code IS 'Code of the department (部门 / 审批单位) that owns the item and handles its cases (实施主体编码).';
COMMENT ON COLUMN catalog.items.department_name IS 'Name of the department (部门 / 审批单位) that owns the item (实施主体名称).';
COMMENT ON COLUMN catalog.items.legal_basis IS 'Legal basis of the item (设定依据), free text; null when not sent.';
COMMENT ON COLUMN catalog.items.registered_at IS 'Business time of ItemRegistered (事项登记).';

-- approval.cases
COMMENT ON COLUMN approval.cases.subject IS 'Stream id of the case (办件), case/<region>/<case number>.';
COMMENT ON COLUMN approval.cases.region IS 'Administrative division code (行政区划代码) of the case, e.g. 430424; selects the working-day calendar and time zone.';
COMMENT ON COLUMN approval.cases.case_number IS 'Case number (办件编号, GB/T 39046 BJBH; local systems 申办流水号 SBLSH), from CaseSubmitted.';
COMMENT ON COLUMN approval.cases.item_code IS 'Item code (事项编码, SXBM) of the item applied for; matches catalog.items.item_code in the same region.';
COMMENT ON COLUMN approval.cases.department_code IS 'Code of the handling department (受理部门 / 审批单位), from CaseSubmitted.';
COMMENT ON COLUMN approval.cases.case_type IS 'Case type (办件类型) given at acceptance: immediate (即办件) | promised (承诺件) | reported-upward (上报件) | joint (联办件); null before acceptance.';
COMMENT ON COLUMN approval.cases.submitted_at IS 'Business time of CaseSubmitted (申报).';
COMMENT ON COLUMN approval.cases.accepted_at IS 'Business time of CaseAccepted (受理时间); null until accepted.';
COMMENT ON COLUMN approval.cases.refused_at IS 'Business time of CaseRefused (不予受理, refused at intake); null unless refused.';
COMMENT ON COLUMN approval.cases.decided_at IS 'Business time of CaseDecided (审批决定); null until decided.';
COMMENT ON COLUMN approval.cases.decision IS 'The decision (审批结果): approved (准予) | disapproved (不予); null until decided.';
COMMENT ON COLUMN approval.cases.concluded_at IS 'Business time of CaseConcluded (办结); null until concluded.';
COMMENT ON COLUMN approval.cases.concluded_on IS 'Conclusion (办结) date in the region''s time zone (the UTC date when no calendar covers the region); null until concluded.';
COMMENT ON COLUMN approval.cases.promised_limit IS 'Promised limit (承诺办结时限) given at acceptance, in working days (工作日); 0 for an immediate case (即办件); null before acceptance.';
COMMENT ON COLUMN approval.cases.statutory_limit IS 'Statutory limit (法定办结时限) given at acceptance, in working days (工作日); null before acceptance or when the acceptance did not send it.';
COMMENT ON COLUMN approval.cases.last_sequence IS 'Sequence (per-stream version) of the last event of this case applied to the row.';

-- approval.daily_counts
COMMENT ON COLUMN approval.daily_counts.region IS 'Administrative division code (行政区划代码) of the cases counted.';
COMMENT ON COLUMN approval.daily_counts.department_code IS 'Handling department (受理部门 / 审批单位) of the cases counted, as in approval.cases.department_code.';
COMMENT ON COLUMN approval.daily_counts.item_code IS 'Item code (事项编码) of the cases counted.';
COMMENT ON COLUMN approval.daily_counts.day IS 'Date of the counted events in the region''s time zone (the UTC date when no calendar covers the region).';
COMMENT ON COLUMN approval.daily_counts.submitted IS 'Number of cases submitted (申报, CaseSubmitted) on day.';
COMMENT ON COLUMN approval.daily_counts.accepted IS 'Number of cases accepted (受理, CaseAccepted) on day.';
COMMENT ON COLUMN approval.daily_counts.refused IS 'Number of cases refused at intake (不予受理, CaseRefused) on day.';
COMMENT ON COLUMN approval.daily_counts.concluded IS 'Number of cases concluded (办结, CaseConcluded) on day.';

-- disclosure.documents
COMMENT ON COLUMN disclosure.documents.subject IS 'Stream id of the document, document/<region>/<number>.';
COMMENT ON COLUMN disclosure.documents.region IS 'Administrative division code (行政区划代码) of the publishing government, e.g. 430405.';
COMMENT ON COLUMN disclosure.documents.title IS 'Title of the document (标题).';
COMMENT ON COLUMN disclosure.documents.department_code IS 'Code of the publishing department (发布机构编码).';
COMMENT ON COLUMN disclosure.documents.document_number IS 'Document number (文号); null when the document has none.';
COMMENT ON COLUMN disclosure.documents.published_at IS 'Business time of DocumentPublished (主动公开, proactive disclosure).';
COMMENT ON COLUMN disclosure.documents.reported_to IS 'The reporting system it was forwarded to by direct reporting (直报, 报送系统), e.g. the city portal''s; null until reported.';

-- disclosure.catalog_by_category (view)
COMMENT ON COLUMN disclosure.catalog_by_category.region IS 'Administrative division code (行政区划代码) of the publishing government.';
COMMENT ON COLUMN disclosure.catalog_by_category.category IS 'Disclosure category (公开类别): overview (概况信息) | notices (通知公告) | work-updates (工作动态) | normative-documents (规范性文件) | plans (规划计划) | business-work (业务工作) | major-construction (重大建设) | fiscal-information (资金信息) | emergency-management (应急管理) | statistics (统计数据) | personnel (人事信息) | other (其他).';
COMMENT ON COLUMN disclosure.catalog_by_category.published IS 'Number of documents proactively disclosed (主动公开) in the region and category.';
COMMENT ON COLUMN disclosure.catalog_by_category.reported IS 'Number of those documents forwarded by direct reporting (直报) to the city portal.';

-- disclosure.requests
COMMENT ON COLUMN disclosure.requests.subject IS 'Stream id of the disclosure request (依申请公开), request/<region>/<number>.';
COMMENT ON COLUMN disclosure.requests.region IS 'Administrative division code (行政区划代码) of the government asked.';
COMMENT ON COLUMN disclosure.requests.department_code IS 'Code of the department that must reply (答复机关编码).';
COMMENT ON COLUMN disclosure.requests.requester_kind IS 'Requester kind (申请人类型): citizen (自然人) | legal-person (法人) | other (其他组织).';
COMMENT ON COLUMN disclosure.requests.description IS 'Description of the information requested (所需信息描述), free text as sent.';
COMMENT ON COLUMN disclosure.requests.received_at IS 'Business time of DisclosureRequestReceived: when the request was received; the statutory reply limit (20 working days, 15 for requests received before 2019-05-15) runs from receipt.';
COMMENT ON COLUMN disclosure.requests.answered_at IS 'Business time of DisclosureRequestAnswered (答复); null until answered.';
COMMENT ON COLUMN disclosure.requests.note IS 'Remarks sent with the reply (备注), free text; null when none or not yet answered.';

-- supervision.case_clocks
COMMENT ON COLUMN supervision.case_clocks.subject IS 'Stream id of the case (办件), case/<region>/<case number>.';
COMMENT ON COLUMN supervision.case_clocks.region IS 'Administrative division code (行政区划代码) of the case; selects the working-day calendar and time zone.';
COMMENT ON COLUMN supervision.case_clocks.department_code IS 'Code of the handling department (受理部门 / 审批单位), from CaseSubmitted.';
COMMENT ON COLUMN supervision.case_clocks.item_code IS 'Item code (事项编码) of the case, from CaseSubmitted.';
COMMENT ON COLUMN supervision.case_clocks.accepted_on IS 'Acceptance (受理) date in the region''s time zone; the clock counts from the next day. Null before acceptance.';
COMMENT ON COLUMN supervision.case_clocks.promised_limit IS 'Promised limit (承诺办结时限) given at acceptance, in working days (工作日); 0 for an immediate case (即办件); null before acceptance.';
COMMENT ON COLUMN supervision.case_clocks.clock IS 'The domain CaseClock (JSON): {"acceptedOn":"YYYY-MM-DD","promisedLimit":<working days>,"pausedSince":"YYYY-MM-DD" while a supplement request (补正) is outstanding,"pauses":[["first excluded date","last excluded date"],…]}; null before acceptance.';
COMMENT ON COLUMN supervision.case_clocks.concluded_on IS 'Conclusion (办结) date in the region''s time zone; null unless concluded.';
COMMENT ON COLUMN supervision.case_clocks.last_sequence IS 'Sequence (per-stream version) of the last event of this case the supervisor applied.';

-- supervision.watermarks (region added by 0004)
COMMENT ON COLUMN supervision.watermarks.consumer_group IS 'Kafka consumer group id of the supervisor, chancery-supervisor.';
COMMENT ON COLUMN supervision.watermarks.region IS 'Administrative division code (行政区划代码) of the events seen on the partition; the region''s clock is min(event_time) over its rows, and red cards (红牌) for its cases are raised against that time, read as a date in the region''s time zone.';
COMMENT ON COLUMN supervision.watermarks.topic IS 'Full Kafka topic name the supervisor reads (gov.approval with the configured prefix).';
COMMENT ON COLUMN supervision.watermarks.partition IS 'Kafka partition number (0-based) of topic.';
COMMENT ON COLUMN supervision.watermarks.event_time IS 'Highest business time (CloudEvents time) of the region''s events seen on this partition; never moves back.';

-- supervision.alerts
COMMENT ON COLUMN supervision.alerts.subject IS 'Stream id of the alert, alert/<region>/<case number>-red for a red card (红牌).';
COMMENT ON COLUMN supervision.alerts.id IS 'CloudEvents id of the alert event, deterministic: red/<case subject> for a red card, so a replay raises nothing twice.';
COMMENT ON COLUMN supervision.alerts.region IS 'Administrative division code (行政区划代码) of the case the alert is about.';
COMMENT ON COLUMN supervision.alerts.case_subject IS 'Stream id of the supervised case (监察对象), case/<region>/<case number>; matches supervision.case_clocks.subject.';
COMMENT ON COLUMN supervision.alerts.department_code IS 'Code of the department responsible (责任部门, the handling department of the case).';
COMMENT ON COLUMN supervision.alerts.item_code IS 'Item code (事项编码) of the case.';
COMMENT ON COLUMN supervision.alerts.card IS 'Card colour: yellow (黄牌, warning as the deadline nears) | red (红牌, breach: overdue 超期); DeadlineBreached alerts are red.';
COMMENT ON COLUMN supervision.alerts.deadline IS 'The case''s deadline that was passed: last working day within the promised limit (办结期限), a date in the region''s time zone.';
COMMENT ON COLUMN supervision.alerts.raised_at IS 'Business time of the alert: 00:00 in the region''s time zone on the first day the case is overdue (超期), i.e. the next working day after deadline (the next calendar day for an immediate case 即办件).';

-- supervision.department_monthly_metrics (view)
COMMENT ON COLUMN supervision.department_monthly_metrics.region IS 'Administrative division code (行政区划代码).';
COMMENT ON COLUMN supervision.department_monthly_metrics.department_code IS 'Code of the handling department (受理部门 / 审批单位).';
COMMENT ON COLUMN supervision.department_monthly_metrics.month IS 'First day of the calendar month (YYYY-MM-01): the acceptance month for accepted and overdue_open, the conclusion month for the other columns; months of dates in the region''s time zone.';
COMMENT ON COLUMN supervision.department_monthly_metrics.accepted IS 'Number of cases accepted (受理) in month.';
COMMENT ON COLUMN supervision.department_monthly_metrics.concluded IS 'Number of cases concluded (办结) in month; the denominator of the on-time and early rates.';
COMMENT ON COLUMN supervision.department_monthly_metrics.concluded_on_time IS 'Number of cases concluded in month within the promised limit (outcome on-time or early); ÷ concluded = on-time rate (按时办结率).';
COMMENT ON COLUMN supervision.department_monthly_metrics.concluded_early IS 'Number of cases concluded in month before the promised limit (outcome early, 提前办结); ÷ concluded = early rate (提前办结率).';
COMMENT ON COLUMN supervision.department_monthly_metrics.overdue_concluded IS 'Number of cases concluded in month after the promised limit (outcome overdue, 超期办结).';
COMMENT ON COLUMN supervision.department_monthly_metrics.overdue_open IS 'Number of cases accepted in month that are not concluded and have a red card (红牌, 超期未办结), as of now.';
COMMENT ON COLUMN supervision.department_monthly_metrics.mean_working_days IS 'Mean working days (工作日) used by the cases concluded in month, supplement pauses excluded, rounded to 2 decimals; null when none.';
COMMENT ON COLUMN supervision.department_monthly_metrics.median_working_days IS 'Median working days (工作日) used by the cases concluded in month (continuous percentile, so possibly x.5), supplement pauses excluded; null when none.';

-- auth.tokens
COMMENT ON COLUMN auth.tokens.id IS 'Token id: the part of chancery_<id>.<secret> before the dot (12 lower-case letters and digits when generated); not secret, shown by chancery tokens list.';
COMMENT ON COLUMN auth.tokens.secret_sha256 IS 'Lower-case hex SHA-256 (64 characters) of the token''s secret; the secret itself is never stored.';
COMMENT ON COLUMN auth.tokens.role IS 'integrator (publishes events for its granted sources and regions) | analyst (queries projections: cases, metrics) | auditor (reads history, verifies the log) | admin (everything, including publishing for any source).';
COMMENT ON COLUMN auth.tokens.description IS 'What the token is for, free text given to chancery tokens add --description; null when none.';
COMMENT ON COLUMN auth.tokens.created_at IS 'Database time when the token was created.';
