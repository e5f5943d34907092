CREATE TABLE `incident_changes` (
	`seq` integer PRIMARY KEY NOT NULL,
	`incident_id` integer NOT NULL
);
--> statement-breakpoint
-- Every write to an incident or its curation logs the incident's id (see db/schema/changes.ts).
CREATE TRIGGER `incidents_log_insert` AFTER INSERT ON `incidents` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`id`); END;
--> statement-breakpoint
CREATE TRIGGER `incidents_log_update` AFTER UPDATE ON `incidents` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`id`); INSERT INTO `incident_changes` (`incident_id`) SELECT OLD.`id` WHERE OLD.`id` <> NEW.`id`; END;
--> statement-breakpoint
CREATE TRIGGER `incidents_log_delete` AFTER DELETE ON `incidents` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (OLD.`id`); END;
--> statement-breakpoint
CREATE TRIGGER `curation_log_insert` AFTER INSERT ON `incident_curation` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`incident_id`); END;
--> statement-breakpoint
CREATE TRIGGER `curation_log_update` AFTER UPDATE ON `incident_curation` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`incident_id`); INSERT INTO `incident_changes` (`incident_id`) SELECT OLD.`incident_id` WHERE OLD.`incident_id` <> NEW.`incident_id`; END;
--> statement-breakpoint
CREATE TRIGGER `curation_log_delete` AFTER DELETE ON `incident_curation` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (OLD.`incident_id`); END;
--> statement-breakpoint
-- Keeps the newest 50,000 entries, pruning every 4,096 (never the newest row, so seq never goes back).
CREATE TRIGGER `incident_changes_prune` AFTER INSERT ON `incident_changes` WHEN NEW.`seq` % 4096 = 0 BEGIN DELETE FROM `incident_changes` WHERE `seq` <= NEW.`seq` - 50000; END;
