CREATE TABLE `incident_deploy_links` (
	`incident_id` integer NOT NULL,
	`deploy_id` integer NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	PRIMARY KEY(`incident_id`, `deploy_id`, `kind`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`deploy_id`) REFERENCES `deploy_events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incident_deploy_links_deploy_idx` ON `incident_deploy_links` (`deploy_id`);--> statement-breakpoint
ALTER TABLE `settings` ADD `cause_window_hours` integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `rollback_window_hours` integer DEFAULT 24 NOT NULL;