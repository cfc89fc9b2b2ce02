-- Jobs and everything a job owns. Child tables reference jobs without ON DELETE CASCADE on
-- purpose: the delete path removes each one explicitly in one transaction, and foreign keys make
-- a forgotten table fail loudly instead of leaving orphans.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    phase TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    cancelled_at TEXT,
    cancellation_reason TEXT,
    cancellation_notes TEXT
);
CREATE INDEX jobs_by_created ON jobs (created_at DESC);

CREATE TABLE product_images (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL REFERENCES jobs (id), path TEXT NOT NULL);
CREATE TABLE product_masks (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL REFERENCES jobs (id), path TEXT NOT NULL);
CREATE TABLE video_frames (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL REFERENCES jobs (id), path TEXT NOT NULL);
CREATE TABLE video_keyframes (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL REFERENCES jobs (id), path TEXT NOT NULL);
CREATE TABLE match_results (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL REFERENCES jobs (id), score REAL NOT NULL);
CREATE TABLE evidence (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL REFERENCES jobs (id), summary TEXT NOT NULL);

-- Every cancel and delete request that reached a job, with who, when and why.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    job_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    notes TEXT,
    forced INTEGER NOT NULL DEFAULT 0
);
