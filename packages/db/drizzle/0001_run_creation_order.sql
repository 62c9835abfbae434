DROP INDEX "runs_created_at_idx";--> statement-breakpoint
DROP INDEX "runs_flow_id_idx";--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "created_seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "runs_created_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("created_at" DESC NULLS LAST,"created_seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_flow_id_created_idx" ON "runs" USING btree ("flow_id","created_at" DESC NULLS LAST,"created_seq" DESC NULLS LAST);