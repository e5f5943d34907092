CREATE INDEX `curation_duplicate_of_idx` ON `incident_curation` (`duplicate_of_id`) WHERE "duplicate_of_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `curation_linked_deploy_idx` ON `incident_curation` (`linked_deploy_id`) WHERE "linked_deploy_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `incidents_import_batch_idx` ON `incidents` (`import_batch_id`);--> statement-breakpoint
CREATE INDEX `quarter_closures_policy_version_idx` ON `quarter_closures` (`policy_version_id`);