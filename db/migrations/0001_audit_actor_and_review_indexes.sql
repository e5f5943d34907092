CREATE INDEX `curation_reviewed_idx` ON `incident_curation` (`reviewed_at`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_label`,`id`);