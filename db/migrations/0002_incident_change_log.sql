CREATE TABLE `incident_changes` (
	`seq` integer PRIMARY KEY NOT NULL,
	`incident_id` integer NOT NULL
);
--> statement-breakpoint
-- Every update or delete of an incident or its curation logs the incident's id (see db/schema/changes.ts).
-- New incidents are not logged (a log row per insert made imports 1.5x slower even with the
-- statement journal in memory): AUTOINCREMENT gives each an id above every id ever used, so
-- readers find them as ids above their newest. Only an insert with a hand-picked lower id
-- (a gap left by a delete) is logged.
CREATE TRIGGER `incidents_log_insert` AFTER INSERT ON `incidents` WHEN NEW.`id` < (SELECT `seq` FROM `sqlite_sequence` WHERE `name` = 'incidents') BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`id`); END;
--> statement-breakpoint
CREATE TRIGGER `incidents_log_update` AFTER UPDATE ON `incidents` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`id`); INSERT INTO `incident_changes` (`incident_id`) SELECT OLD.`id` WHERE OLD.`id` <> NEW.`id`; END;
--> statement-breakpoint
CREATE TRIGGER `incidents_log_delete` AFTER DELETE ON `incidents` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (OLD.`id`); END;
--> statement-breakpoint
-- A curation row added to an older incident is logged; one added to the newest incident ever
-- created (the importer's case) is not: readers re-read their newest incident on every look.
CREATE TRIGGER `curation_log_insert` AFTER INSERT ON `incident_curation` WHEN NEW.`incident_id` < (SELECT `seq` FROM `sqlite_sequence` WHERE `name` = 'incidents') BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`incident_id`); END;
--> statement-breakpoint
CREATE TRIGGER `curation_log_update` AFTER UPDATE ON `incident_curation` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (NEW.`incident_id`); INSERT INTO `incident_changes` (`incident_id`) SELECT OLD.`incident_id` WHERE OLD.`incident_id` <> NEW.`incident_id`; END;
--> statement-breakpoint
CREATE TRIGGER `curation_log_delete` AFTER DELETE ON `incident_curation` BEGIN INSERT INTO `incident_changes` (`incident_id`) VALUES (OLD.`incident_id`); END;
--> statement-breakpoint
-- Keeps the newest 50,000 entries, pruning every 4,096 (never the newest row, so seq never goes back).
CREATE TRIGGER `incident_changes_prune` AFTER INSERT ON `incident_changes` WHEN NEW.`seq` % 4096 = 0 BEGIN DELETE FROM `incident_changes` WHERE `seq` <= NEW.`seq` - 50000; END;
