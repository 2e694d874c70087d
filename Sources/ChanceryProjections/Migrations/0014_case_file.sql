-- The case file (CaseFile in the domain: lifecycle, clock, steps, decision, conclusion, urge, rating) that the projector
-- and the supervisor fold from a case's events with the same code. Null in rows written before this version: the
-- projector folds those again from audit.events, the supervisor from its columns.
ALTER TABLE approval.cases ADD COLUMN case_file jsonb;
COMMENT ON COLUMN approval.cases.case_file IS 'The case file the other columns are derived from (CaseFile, JSON); null for rows written before migration 0014.';
ALTER TABLE supervision.case_clocks ADD COLUMN case_file jsonb;
COMMENT ON COLUMN supervision.case_clocks.case_file IS 'The case file the supervisor watches (CaseFile, JSON; the same fold as approval.cases.case_file); null for rows written before migration 0014.';
COMMENT ON COLUMN supervision.case_clocks.status IS 'submitted | accepted | supplementing | reported-upward | decided | concluded | delivered | refused | withdrawn (the lifecycle status; a running special procedure is in case_file, the case stays accepted). Rows written before migration 0014 may say special-procedure.';
