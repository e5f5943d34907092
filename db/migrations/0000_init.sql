CREATE TABLE `incident_curation` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`trigger` text DEFAULT 'unknown' NOT NULL,
	`change_type` text,
	`deploy_system` text,
	`services` text DEFAULT '[]' NOT NULL,
	`affected_features` text DEFAULT '[]' NOT NULL,
	`customer_impact_pct` real,
	`impact_start` integer,
	`impact_end` integer,
	`detected_at` integer,
	`mitigated_at` integer,
	`remediation` text,
	`fleet_exposure_pct` real,
	`analysis_status` text DEFAULT 'pending' NOT NULL,
	`override` text,
	`override_reason` text,
	`duplicate_of_id` integer,
	`linked_deploy_id` integer,
	`reviewed_at` integer,
	`reviewed_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`duplicate_of_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `curation_trigger_idx` ON `incident_curation` (`trigger`);--> statement-breakpoint
CREATE INDEX `curation_deploy_system_idx` ON `incident_curation` (`deploy_system`);--> statement-breakpoint
CREATE INDEX `curation_change_type_idx` ON `incident_curation` (`change_type`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`source_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`severity` text NOT NULL,
	`status` text,
	`started_at` integer NOT NULL,
	`resolved_at` integer,
	`url` text,
	`source_services` text DEFAULT '[]' NOT NULL,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`source_hash` text NOT NULL,
	`import_batch_id` integer,
	`is_demo` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_source_uq` ON `incidents` (`source`,`source_id`);--> statement-breakpoint
CREATE INDEX `incidents_started_idx` ON `incidents` (`started_at`);--> statement-breakpoint
CREATE INDEX `incidents_severity_idx` ON `incidents` (`severity`);--> statement-breakpoint
CREATE TABLE `deploy_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text,
	`started_at` integer,
	`finished_at` integer NOT NULL,
	`service` text NOT NULL,
	`deploy_system` text,
	`version` text,
	`outcome` text,
	`is_rollback` integer DEFAULT false NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deploy_events_external_uq` ON `deploy_events` (`external_id`);--> statement-breakpoint
CREATE INDEX `deploy_events_service_time_idx` ON `deploy_events` (`service`,`finished_at`);--> statement-breakpoint
CREATE TABLE `deploy_systems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deploy_systems_name_unique` ON `deploy_systems` (`name`);--> statement-breakpoint
CREATE TABLE `incident_projects` (
	`incident_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	PRIMARY KEY(`incident_id`, `project_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incident_projects_project_idx` ON `incident_projects` (`project_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`owner_team` text,
	`description` text,
	`status` text DEFAULT 'planned' NOT NULL,
	`delivered_on` text,
	`scope_services` text DEFAULT '[]' NOT NULL,
	`scope_deploy_systems` text DEFAULT '[]' NOT NULL,
	`scope_change_types` text DEFAULT '[]' NOT NULL,
	`lag_min_months` integer DEFAULT 3 NOT NULL,
	`lag_max_months` integer DEFAULT 6 NOT NULL,
	`expected_effect_hours` real,
	`is_demo` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_slug_unique` ON `projects` (`slug`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`owner_team` text,
	`description` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `services_name_unique` ON `services` (`name`);--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`policy` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE TABLE `quarter_closures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`quarter` text NOT NULL,
	`policy_version_id` integer,
	`settings` text NOT NULL,
	`hours` real NOT NULL,
	`upper_bound_hours` real NOT NULL,
	`target` real,
	`status` text NOT NULL,
	`contributions` text NOT NULL,
	`report` text,
	`narrative` text,
	`published` integer DEFAULT false NOT NULL,
	`reopened_at` integer,
	`closed_at` integer NOT NULL,
	`closed_by` text,
	FOREIGN KEY (`policy_version_id`) REFERENCES `policy_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quarter_closures_quarter_idx` ON `quarter_closures` (`quarter`,`id`);--> statement-breakpoint
CREATE TABLE `quarter_targets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`quarter` text NOT NULL,
	`hours` real,
	`note` text,
	`created_at` integer NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE INDEX `quarter_targets_quarter_idx` ON `quarter_targets` (`quarter`,`id`);--> statement-breakpoint
CREATE TABLE `report_narratives` (
	`quarter` text PRIMARY KEY NOT NULL,
	`narrative` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`fiscal_year_start_month` integer DEFAULT 1 NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`fiscal_year_label` text DEFAULT 'end' NOT NULL,
	`maturity_days` integer DEFAULT 30 NOT NULL,
	`deploy_window_minutes` integer DEFAULT 60 NOT NULL,
	`suggestion_rules` text DEFAULT '[]' NOT NULL,
	`max_import_bytes` integer DEFAULT 52428800 NOT NULL,
	`demo_data` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `import_batch_items` (
	`batch_id` integer NOT NULL,
	`incident_id` integer NOT NULL,
	`action` text NOT NULL,
	`before` text,
	PRIMARY KEY(`batch_id`, `incident_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_batch_items_incident_idx` ON `import_batch_items` (`incident_id`);--> statement-breakpoint
CREATE TABLE `import_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text DEFAULT 'incidents' NOT NULL,
	`source` text NOT NULL,
	`format` text NOT NULL,
	`file_name` text,
	`created_count` integer DEFAULT 0 NOT NULL,
	`updated_count` integer DEFAULT 0 NOT NULL,
	`unchanged_count` integer DEFAULT 0 NOT NULL,
	`rejected_count` integer DEFAULT 0 NOT NULL,
	`rejects` text,
	`status` text DEFAULT 'applied' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`undone_at` integer,
	`undone_by` text
);
--> statement-breakpoint
CREATE TABLE `import_presets` (
	`name` text PRIMARY KEY NOT NULL,
	`mapping` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`actor_label` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text,
	`entity_id` text,
	`before` text,
	`after` text,
	`detail` text,
	`ip` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_action_idx` ON `audit_log` (`action`);--> statement-breakpoint
CREATE TABLE `account` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`user_id` text NOT NULL,
	`access_token` text,
	`refresh_token` text,
	`id_token` text,
	`access_token_expires_at` integer,
	`refresh_token_expires_at` integer,
	`scope` text,
	`password` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `account_user_idx` ON `account` (`user_id`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_name_unique` ON `api_tokens` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `rate_limit` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`count` integer NOT NULL,
	`last_request` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rate_limit_key_unique` ON `rate_limit` (`key`);--> statement-breakpoint
CREATE TABLE `session` (
	`id` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`ip_address` text,
	`user_agent` text,
	`user_id` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_token_unique` ON `session` (`token`);--> statement-breakpoint
CREATE INDEX `session_user_idx` ON `session` (`user_id`);--> statement-breakpoint
CREATE TABLE `user` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`email_verified` integer DEFAULT false NOT NULL,
	`image` text,
	`role` text DEFAULT 'viewer' NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_email_unique` ON `user` (`email`);--> statement-breakpoint
CREATE TABLE `verification` (
	`id` text PRIMARY KEY NOT NULL,
	`identifier` text NOT NULL,
	`value` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer,
	`updated_at` integer
);
