"""Schema migrations for the SQLite store, applied in order; PRAGMA user_version records the last."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, sentences, stories, membership history, briefs, full-text search
    """
    CREATE TABLE outlets (
        id INTEGER PRIMARY KEY,
        domain TEXT NOT NULL,
        name TEXT NOT NULL,
        UNIQUE (domain, name)
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT,
        updated_at TEXT NOT NULL,
        headline TEXT NOT NULL DEFAULT '',
        article_count INTEGER NOT NULL DEFAULT 0,
        merged_into INTEGER REFERENCES stories(id),
        representation TEXT NOT NULL DEFAULT '{}'   -- JSON: term weights (sum of article vectors)
    );
    CREATE INDEX stories_last_seen ON stories(last_seen) WHERE merged_into IS NULL;
    CREATE INDEX stories_updated ON stories(updated_at);
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        outlet_id INTEGER NOT NULL REFERENCES outlets(id),
        title TEXT NOT NULL,
        author TEXT,
        published_at TEXT,
        fetched_at TEXT,
        language TEXT,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        duplicate_of INTEGER REFERENCES articles(id),
        story_id INTEGER REFERENCES stories(id),
        origin TEXT,
        note TEXT,
        terms TEXT NOT NULL DEFAULT '{}'            -- JSON: the article's grouping vector
    );
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX articles_duplicate ON articles(duplicate_of);
    CREATE INDEX articles_published ON articles(published_at);
    CREATE TABLE sentences (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE sentence_hashes (                  -- finds syndicated copies by shared sentences
        hash INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        PRIMARY KEY (hash, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE story_events (                     -- membership history: nothing is lost silently
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('created', 'joined', 'merged')),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        article_id INTEGER REFERENCES articles(id),
        other_story_id INTEGER REFERENCES stories(id),
        score REAL
    );
    CREATE INDEX story_events_story ON story_events(story_id);
    CREATE TABLE briefs (
        story_id INTEGER NOT NULL REFERENCES stories(id),
        version INTEGER NOT NULL,
        generated_at TEXT NOT NULL,
        writer TEXT NOT NULL,
        body TEXT NOT NULL,                         -- the brief as JSON
        PRIMARY KEY (story_id, version)
    );
    CREATE TABLE term_stats (                       -- document frequencies for IDF
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END;
    """,
    # 2: counting an article's sentence hashes (copy detection) must not scan the table
    """
    CREATE INDEX sentence_hashes_article ON sentence_hashes(article_id);
    """,
    # 3: feeds followed by `watch`, with what conditional GET and backoff need
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        added_at TEXT NOT NULL,
        etag TEXT,                                  -- validators for conditional GET
        last_modified TEXT,
        last_polled TEXT,
        last_success TEXT,
        last_error TEXT,
        last_error_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,        -- consecutive failed polls (backoff exponent)
        items_seen INTEGER NOT NULL DEFAULT 0,      -- entries in the feed when last parsed
        articles_added INTEGER NOT NULL DEFAULT 0,  -- new articles it has brought in all
        next_poll TEXT                              -- not polled before this time
    );
    """,
    # 4: what spaCy's parse found in each sentence (who says what), so that it is parsed once
    """
    ALTER TABLE sentences ADD COLUMN speech TEXT;   -- JSON (analysis.speech.pack), NULL: not parsed
    """,
    # 5: the names the entity recogniser found in a cited sentence, so that it reads it once
    """
    ALTER TABLE sentences ADD COLUMN names TEXT;    -- JSON [[name, kind], ...], NULL: not read yet
    """,
    # 6: where a publication date came from (dating.DATE_SOURCES); undated reports stay NULL
    """
    ALTER TABLE articles ADD COLUMN date_source TEXT;
    UPDATE articles SET date_source = 'given' WHERE published_at IS NOT NULL;
    """,
    # 7: a story whose brief is due: set in the transaction that changes the story, cleared when its
    # brief is written (or could not be), so a run killed in between leaves the work recorded
    """
    ALTER TABLE stories ADD COLUMN brief_due INTEGER NOT NULL DEFAULT 0;
    UPDATE stories SET brief_due = 1 WHERE merged_into IS NULL AND article_count > 0
        AND updated_at > COALESCE((SELECT MAX(generated_at) FROM briefs WHERE story_id = stories.id), '');
    CREATE INDEX stories_brief_due ON stories(id) WHERE brief_due = 1;
    """,
    # 8: events inside stories. An event is a tight cluster of reports of one happening (what the
    # stories table held so far); a story, what users follow, links events over days or weeks. Each old
    # story becomes one event (same id) in a story of its own; the next ingest lets stories form.
    # articles.story_id stays, kept equal to the story of the article's event, so that a story's
    # reports are read with one index.
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        story_id INTEGER REFERENCES stories(id),
        created_at TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT,
        updated_at TEXT NOT NULL,
        article_count INTEGER NOT NULL DEFAULT 0,
        merged_into INTEGER REFERENCES events(id),
        representation TEXT NOT NULL DEFAULT '{}'   -- JSON: term weights (sum of article vectors)
    );
    INSERT INTO events(id, story_id, created_at, first_seen, last_seen, updated_at, article_count, merged_into,
                       representation)
        SELECT id, CASE WHEN merged_into IS NULL THEN id END, created_at, first_seen, last_seen, updated_at,
               article_count, merged_into, representation FROM stories;
    CREATE INDEX events_last_seen ON events(last_seen) WHERE merged_into IS NULL;
    CREATE INDEX events_story ON events(story_id);
    ALTER TABLE articles ADD COLUMN event_id INTEGER REFERENCES events(id);
    UPDATE articles SET event_id = story_id;
    CREATE INDEX articles_event ON articles(event_id);
    ALTER TABLE stories ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
    UPDATE stories SET event_count = 1 WHERE merged_into IS NULL AND article_count > 0;
    CREATE TABLE event_history (                    -- membership history: nothing is lost silently
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('created', 'joined', 'merged')),
        event_id INTEGER NOT NULL REFERENCES events(id),
        article_id INTEGER REFERENCES articles(id),
        other_event_id INTEGER REFERENCES events(id),
        score REAL
    );
    INSERT INTO event_history SELECT id, at, kind, story_id, article_id, other_story_id, score FROM story_events;
    DROP TABLE story_events;
    CREATE INDEX event_history_event ON event_history(event_id);
    CREATE TABLE story_history (                    -- how events came into stories, and left them
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('created', 'linked', 'merged', 'split')),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        event_id INTEGER REFERENCES events(id),
        other_story_id INTEGER REFERENCES stories(id),
        score REAL
    );
    CREATE INDEX story_history_story ON story_history(story_id);
    INSERT INTO meta(key, value) VALUES ('stories_formed', '0');
    """,
    # 9: watchlists (a name, a search query or a story followed), the brief versions each matched
    # (its Atom feed), and the queue of webhook alerts: one row per (follow, story, version, target),
    # delivered at least once, retried with backoff until a receiver answers 2xx
    """
    CREATE TABLE follows (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('name', 'query', 'story')),
        value TEXT NOT NULL,                        -- the name, the query, or the story id
        webhook TEXT,                               -- NULL: the NEWSBRIEF_WEBHOOKS targets
        created_at TEXT NOT NULL,
        last_delivery_at TEXT,
        last_error TEXT,
        last_error_at TEXT
    );
    CREATE TABLE follow_matches (
        follow_id INTEGER NOT NULL REFERENCES follows(id),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        version INTEGER NOT NULL,
        matched_at TEXT NOT NULL,
        PRIMARY KEY (follow_id, story_id, version)
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        follow_id INTEGER NOT NULL REFERENCES follows(id),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        version INTEGER NOT NULL,
        target TEXT NOT NULL,                       -- the webhook URL
        delivery_id TEXT NOT NULL UNIQUE,           -- sent with every attempt: receivers drop repeats
        body TEXT NOT NULL,                         -- the JSON posted, byte for byte what is signed
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,                       -- NULL: not tried yet, due at once
        delivered_at TEXT,
        last_error TEXT,
        UNIQUE (follow_id, story_id, version, target)
    );
    CREATE INDEX alerts_due ON alerts(id) WHERE delivered_at IS NULL;
    CREATE INDEX alerts_follow ON alerts(follow_id);
    """,    # 10: the latest date an undated report mentions (dating.not_before): grouping keeps it out of
    # events long before that day, after a restart as before it
    """
    ALTER TABLE articles ADD COLUMN not_before TEXT;
    """,
    # 11: brief_due becomes a count of the story's changes and `briefed` the count its latest brief
    # (or failed attempt) covered: due while brief_due > briefed. A writer clears only the changes
    # it read, so a change made while a brief was being written stays due, and a second writer
    # does not store a brief of a state another one already covered.
    """
    ALTER TABLE stories ADD COLUMN briefed INTEGER NOT NULL DEFAULT 0;
    """,
]
