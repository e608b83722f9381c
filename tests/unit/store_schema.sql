-- The schema of a new store (version 7; documents.tokens a BLOB since 6; answers.shown, suggestions.confidence and task_orders since 7): tests/unit/test_store_schema.py

CREATE TABLE "answers" (
   "id" INTEGER PRIMARY KEY,
   "document" INTEGER REFERENCES "documents"("id"),
   "annotator" TEXT,
   "answer" TEXT,
   "spans" TEXT,
   "started_at" REAL,
   "answered_at" REAL,
   "duration" REAL
, import_id INTEGER, task TEXT, shown TEXT);

CREATE TABLE "datasets" (
   "name" TEXT PRIMARY KEY,
   "lang" TEXT,
   "labels" TEXT,
   "created_at" REAL
);

CREATE TABLE "documents" (
   "id" INTEGER PRIMARY KEY,
   "dataset" TEXT NOT NULL,
   "input_hash" TEXT NOT NULL,
   "text" TEXT NOT NULL,
   "meta" TEXT,
   "tokens" BLOB NOT NULL,
   "added_at" REAL
);

CREATE TABLE "import_answers" (
   "import" INTEGER,
   "document" INTEGER,
   "annotator" TEXT,
   "answer" TEXT,
   "spans" TEXT,
   "started_at" REAL,
   "answered_at" REAL,
   "duration" REAL
, task TEXT);

CREATE TABLE import_documents (document INTEGER PRIMARY KEY, import INTEGER NOT NULL);

CREATE TABLE "import_suggestions" (
   "import" INTEGER,
   "document" INTEGER,
   "source" TEXT,
   "spans" TEXT,
   "made_at" REAL
);

CREATE TABLE "imports" (
   "id" INTEGER PRIMARY KEY,
   "dataset" TEXT NOT NULL,
   "state" TEXT NOT NULL,
   "pid" INTEGER,
   "host" TEXT,
   "started_at" REAL,
   "heartbeat_at" REAL
);

CREATE TABLE "leases" (
   "document" INTEGER,
   "annotator" TEXT,
   "until" REAL, session TEXT, host TEXT, pid INTEGER,
   PRIMARY KEY ("document", "annotator")
);

CREATE TABLE "reviews" (
   "id" INTEGER PRIMARY KEY,
   "document" INTEGER REFERENCES "documents"("id"),
   "reviewer" TEXT,
   "answer" TEXT,
   "spans" TEXT,
   "decided_from" TEXT,
   "decided_at" REAL
);

CREATE TABLE "schema" (
   "version" INTEGER
);

CREATE TABLE "suggestions" (
   "id" INTEGER PRIMARY KEY,
   "document" INTEGER REFERENCES "documents"("id"),
   "source" TEXT,
   "spans" TEXT,
   "made_at" REAL
, import_id INTEGER, confidence REAL);

CREATE TABLE "task_orders" (
   "dataset" TEXT NOT NULL,
   "name" TEXT NOT NULL,
   "position" INTEGER NOT NULL,
   "document" INTEGER NOT NULL,
   PRIMARY KEY ("dataset", "name", "position")
);

CREATE INDEX "idx_answers_annotator_id"
    ON "answers" ("annotator", "id");

CREATE INDEX "idx_answers_document_annotator_answered_at_id"
    ON "answers" ("document", "annotator", "answered_at", "id");

CREATE INDEX "idx_answers_document_annotator_id"
    ON "answers" ("document", "annotator", "id");

CREATE INDEX "idx_answers_document_answer_annotator"
    ON "answers" ("document", "answer", "annotator");

CREATE UNIQUE INDEX "idx_documents_dataset_input_hash"
    ON "documents" ("dataset", "input_hash");

CREATE INDEX "idx_import_answers_import"
    ON "import_answers" ("import");

CREATE INDEX "idx_import_suggestions_import"
    ON "import_suggestions" ("import");

CREATE INDEX "idx_reviews_document_id"
    ON "reviews" ("document", "id");

CREATE UNIQUE INDEX "idx_suggestions_document_source"
    ON "suggestions" ("document", "source");

CREATE INDEX "idx_suggestions_source_confidence_document"
    ON "suggestions" ("source", "confidence", "document");
