/*
 * limits.h - every hard bound in vind, each with its reason.
 */
#ifndef VIND_LIMITS_H
#define VIND_LIMITS_H

/* Deepest element nesting of an HTML page read in full. libxml2's parser
 * stops at 256 levels and drops the rest of the page (300 unclosed <font>
 * tags of an old editor lost every paragraph after them); past it the page
 * is parsed again without that limit, but the parse and the extraction
 * spend time in the depth for every element (4,000 levels: 0.2 s; 16,000:
 * 5.7 s; 100,000: past the 60 s time limit), so a page nested deeper than
 * this keeps what comes before the 256th level and is reported cut. */
#define VIND_MAX_HTML_DEPTH 4096u

/* Largest text vind_analyze takes in one call: a 50 MB HTML file's text must
 * fit, while a hostile 1 GB text layer must not exhaust memory (tokens cost
 * ~10x the text). */
#define VIND_MAX_ANALYZE_BYTES (64u * 1024u * 1024u)

/* Longest token kept as a term; longer runs (base64, hashes, a 1 MB "word")
 * are cut: Xapian refuses terms over 245 bytes and nobody searches for them. */
#define VIND_MAX_TERM_BYTES 64u

/* The bytes an analyzer's cache of word forms may hold (lib/analyze.c), its
 * four tables together (Dutch and English, two generations of at most
 * 65,536 forms each). Until session 15 only forms were counted: 60-byte
 * unknown words made a table of 65,536 ~22 MB. VIND_ANALYZER_CACHE_BYTES is
 * the default (an indexer's: a generation of ordinary text's forms stays
 * under it); a searcher's analyzer caches the words of queries and of the
 * hits' snippets, and vind-searchd keeps two searchers a thread: it is
 * bounded to VIND_SEARCHER_ANALYZER_CACHE_BYTES. */
#define VIND_ANALYZER_CACHE_BYTES (64u * 1024u * 1024u)
#define VIND_SEARCHER_ANALYZER_CACHE_BYTES (4u * 1024u * 1024u)

/* Default per-file limits of vind-index (--max-size, time limit): a hostile
 * PDF must neither hang the run nor exhaust memory. */
#define VIND_DEFAULT_MAX_FILE_BYTES (100u * 1024u * 1024u)
#define VIND_DEFAULT_EXTRACT_SECONDS 60u
#define VIND_DEFAULT_EXTRACT_MEMORY_BYTES (2048ull * 1024u * 1024u)

/* An HTML page's tree costs about this much per tag ('<') on top of its
 * bytes (libxml2's node, its text node and their mallocs: 150 to 160 bytes
 * measured for a table of short cells and for 1.3 million <b>x</b>), and
 * VIND_HTML_BYTES_COST times its bytes (the page, its UTF-8 copy, the text
 * taken out and the copy sent to the indexer). A page whose estimate passes
 * a quarter of the worker's memory limit (512 MB of the default 2 GB; two
 * trees exist at once when a deep page is parsed again) is parsed up to
 * the tag where it would pass, and reported cut: a 70 MB table page peaked
 * at 1.6 GB and would be killed, with nothing indexed, a little larger. */
#define VIND_HTML_TAG_COST 160u
#define VIND_HTML_BYTES_COST 4u

/* Stored fields per document, cut at index time (the page is indexed and
 * reported "path: indexed, but ..."): every matching answer carries them, and
 * a page with 10,000 tags, 10,000 themes and a 1 MB title made each answer
 * 1.4 to 11 MB (issue 11). A real title is under 200 bytes, a description
 * under 300, a tag under 50; the corpus has at most 9 tags per article.
 * Strings are cut at a UTF-8 character boundary. */
#define VIND_MAX_TITLE_BYTES 500u
#define VIND_MAX_DESCRIPTION_BYTES 2000u
#define VIND_MAX_AUTHOR_BYTES 200u
#define VIND_MAX_DOC_TAGS 100u
#define VIND_MAX_DOC_THEMES 100u
#define VIND_MAX_TAXONOMY_BYTES 200u /* one tag or theme */
/* A document's language tag ("nl", "en-GB"): RFC 5646 4.4.1 asks room for
 * 35 characters. An HTML page's is cut to its primary subtag; a --from-jsonl
 * record's was stored as given until session 15 (a 1 MB "lang" went into
 * every /api/doc answer of the record). */
#define VIND_MAX_LANG_BYTES 35u

/* Parallel extraction workers of vind-index (--jobs): each is a process of up
 * to 2 GB address space (VIND_DEFAULT_EXTRACT_MEMORY_BYTES); 200 of them took
 * 1.6 GB resident on an idle site. 64 keeps a big machine busy. */
#define VIND_MAX_INDEX_JOBS 64u

/* Per-file time limit of vind-index (--timeout), seconds: 0 would disable it. */
#define VIND_MAX_EXTRACT_SECONDS 3600u

/* The largest per-file size limit of vind-index (--max-size), 1 TiB: past
 * any file vind extracts (an HTML page over 2 GB is refused, poppler maps a
 * PDF whole). Until session 18 "--max-size nan" switched the limit off and
 * made a feed's line limit (twice the file limit) 0 bytes. */
#define VIND_MAX_FILE_BYTES (1ull << 40)

/* Time limit of the OCR of one page (lib/ocr.c): a clean A4 page takes 2-10 s
 * on one core, 20 s on a loaded one; a page past this is reported and the
 * document indexed without it. Each OCR page with ink adds its limit (+10 s; a page
 * read from the cache, its rendering time; a blank page, nothing) to the
 * file's own (--timeout), up to VIND_MAX_EXTRACT_SECONDS of OCR a file. */
#define VIND_DEFAULT_OCR_PAGE_MS 60000u

/* Time limit of the check that a document's pages rendered blank because an
 * image of theirs could not be decoded (lib/extract_pdf.c), run in one child
 * process of the extraction: an image declaring 200,000 x 200,000 pixels from
 * 1 kB of data was decoded for minutes and the worker killed at the file's
 * --timeout, its text pages lost (session 17's probe). A page scanned at 2400
 * dpi takes ~5 s; the page being checked when the limit passes counts as one
 * whose image could not be decoded. Bounded too by what is left of the file's
 * own --timeout. */
#define VIND_OCR_IMAGE_CHECK_MS 15000u

/* Time limit of the rendering of one PDF page for OCR (lib/ocr.c), run in a
 * helper child of the extraction: an image declaring 20,000 x 20,000 pixels
 * of CCITT or JBIG2 noise (5 kB) is decoded by poppler pixel by pixel, 57-77
 * s and 1.6 GB, and held the worker to the file's --timeout, the PDF's other
 * pages lost with it (a known limit from session 17 to 18). A page past the
 * limit is reported and the others are indexed. An A4 page at 300 dpi renders
 * in ~0.2 s, a page scanned at 2400 dpi in ~5 s. Bounded too by what is left
 * of the file's own --timeout; a page with no second left is not rendered,
 * and counted in the file's report. */
#define VIND_OCR_RENDER_MS 30000u

/* Size of one OCR cache entry (<db>.ocr-cache, lib/ocr.c) that is read: the
 * text of one page (a dense A4 page is ~10 kB) with its doubtful words. A
 * larger entry is damaged or planted: a miss, the page is recognised again. */
#define VIND_OCR_CACHE_MAX_ENTRY_BYTES (4u * 1024 * 1024)

/* Query limits: longer queries are almost certainly not typed by a person and
 * cost time proportional to their length. */
#define VIND_MAX_QUERY_BYTES 4096u
#define VIND_MAX_QUERY_TERMS 64u
#define VIND_MAX_QUERY_DEPTH 32u

/* Documents per commit in a run: a reader sees whole batches; a crash loses at
 * most one batch, and Xapian keeps a batch in memory until it commits. */
#define VIND_INDEX_BATCH_DOCS 5000u
/* Text per commit: a batch also ends once its documents hold this many bytes
 * of text (title and pages). Xapian's in-memory maps of a batch grow with its
 * words, and every posting added costs more the bigger they are: 5,000
 * generated documents (~30 MB of text) took 74.6 s of CPU in one batch and
 * ~44-48 s in batches of 4-8 MB (peak RSS 988 -> 185-290 MB); batches of
 * 100 documents cost more again (61 s: a commit merges into every touched
 * B-tree block). 8 MB keeps the shared corpus (5.1 MB, 750 documents) one
 * batch. */
#define VIND_INDEX_BATCH_BYTES (8u * 1024u * 1024u)
/* Documents Xapian holds in its in-memory maps before it merges them into
 * its tables inside the open batch (XAPIAN_FLUSH_THRESHOLD, Xapian 1.4's
 * only setting for it, read from the environment when a writable database
 * is opened; vind sets it unless the user did: lib/xapian_wrap.cc). Each
 * posting and position list added descends two maps of every term of the
 * documents held (term -> changes; a string compare per level), and the
 * bigger they are the more of each descent misses the CPU cache: a bulk load
 * of 2,000 generated documents (batches of 8 MiB, ~1,100 documents) took
 * 13.0-13.4 s of CPU with Xapian's default (10,000: never inside a batch)
 * and 9.8-10.5 s at 50-200 (peak RSS 215 -> 143-154 MB); unlike a commit,
 * such a merge writes nothing durable, so the batches stay as they are.
 * The index is the same (docs/scaling.md, "Bulk load, session 16"). */
#define VIND_INDEX_FLUSH_DOCS 200u
/* Replaced documents per commit: a batch also ends at this many documents
 * stored over one the index holds. Xapian 1.4 (glass) queues one
 * position-list change per term of such a document, kept terms included (a
 * deletion for each term without positions: schema 4's `E` terms, ~half of
 * a document's terms), in a map of maps (term -> docid -> list) it inserts
 * into term by term and applies at the commit; the bigger the batch, the
 * more of each insert's descent misses the CPU cache. 1,000 changed
 * generated documents in one batch: 16% of the run's perf samples in those
 * inserts; in batches of 50 a third of that, the commits a little more
 * (docs/scaling.md, "Re-indexing 1,000 changed documents", session 15).
 * Deletions are not counted: a deleted document changes the posting list of
 * every term it had, and each commit rewrites those lists' blocks (1,000
 * deleted from 20,000 in batches of 50: 8.4 s of CPU against 6.0-6.6 s). */
#define VIND_INDEX_BATCH_REPLACED 50u
/* Text between two updates of the spelling table in a run: the spelling
 * words of the batches in between are counted in memory and committed with
 * each batch as one metadata value (a crash loses none of them; lib/index.c,
 * commit_changes). Why: Xapian rewrites (and deflates) every touched
 * spelling fragment list at each update, whatever the number of new words:
 * into an index of 20,000 generated documents, 1,000 more took 8.7 s of CPU
 * without spelling and 15.5 s with, 2,000 in two commits 19.4 / 31.9 s, in
 * one commit 21.7 / 28.5 s (a loaded machine). */
#define VIND_INDEX_SPELLING_BYTES (64u * 1024u * 1024u)

/* Terms one `prefix*` expands to (the most frequent): "a*" would otherwise
 * OR together every word of the index and cost seconds per search. */
#define VIND_MAX_WILDCARD_TERMS 200u
/* Terms all the wildcards of one query expand to together: 64 two-letter
 * wildcards ("aa* ae* ...") at 200 terms each OR-ed 12,800 terms and cost
 * 0.4-0.7 s of CPU per search (docs/security.md). The budget is shared
 * evenly (64 wildcards get 7 terms each, the most frequent), never below
 * VIND_MIN_WILDCARD_TERMS; the answer's "notices" says when a wildcard
 * matched more words than it was given. */
#define VIND_MAX_WILDCARD_TERMS_PER_QUERY 400u
#define VIND_MIN_WILDCARD_TERMS 5u

/* Largest synonym list loaded at searcher open: a few hundred acronyms fill
 * 20 KB; anything near a megabyte is not a synonym list. */
#define VIND_MAX_SYNONYM_FILE_BYTES (1024u * 1024u)

/* Keyword-in-context lines one call returns at most: "de" occurs ~100,000
 * times in the corpus, and a researcher's export should stay bounded. */
#define VIND_MAX_KWIC_LINES 100000u

/* Context characters each side of a keyword-in-context line: a concordance
 * needs a sentence or two, not whole pages copied once per match. */
#define VIND_MAX_KWIC_WIDTH 1000u

/* vind-searchd (searchd/): every bound a hostile client could push on.
 * A person's search URL is under 1 kB; 8 kB leaves room for many filters
 * while a 100 kB "query" is refused with 414 before anything parses it. */
#define VIND_SEARCHD_MAX_URL_BYTES 8192u
/* GET requests carry no body; a few bytes are tolerated, more is 413 (a
 * chunked body that grows past it is cut off: its length is not known up
 * front). */
#define VIND_SEARCHD_MAX_BODY_BYTES 1024u
/* All request header lines together (names and values): nginx passes at most
 * 4 lines of 8 kB by default, and a browser's cookies for one site stay well
 * under that; a 100 kB "X-Padding" header is refused with 431. (The URL has
 * its own bound above; headers beyond VIND_SEARCHD_CONNECTION_MEMORY get
 * libmicrohttpd's own 431 before vind sees them.) */
#define VIND_SEARCHD_MAX_HEADER_BYTES (32u * 1024u)
/* Query-string parameters per request (repeated tag= counts each time):
 * the sample site has ~60 tags, so 200 selected values is already absurd. */
#define VIND_SEARCHD_MAX_PARAMETERS 200u
/* Results per page: a page of 100 snippets is ~100 kB of HTML; more is a
 * scraper, which should use `vind export`. */
#define VIND_SEARCHD_MAX_PAGE_SIZE 100u
#define VIND_SEARCHD_DEFAULT_PAGE_SIZE 10u
/* Deepest page: Xapian's cost grows with the offset and nobody reads page
 * 1001 (the last page of the 692-article corpus at size 10 is page 70). */
#define VIND_SEARCHD_MAX_PAGE 1000u
/* Autocomplete suggestions per request (the issue: at most 10). */
#define VIND_SEARCHD_MAX_SUGGESTIONS 10u
/* Memory MHD may use per connection for the request line and headers:
 * big enough for every request vind's own bounds let through (an 8 kB URL
 * with 200 parameters, 32 kB of headers, MHD's entry for each) and for a
 * URL or headers well past those bounds to reach vind's guard (a JSON
 * 414/431 with the security headers; past this memory, MHD's own HTML
 * 414/431), and no bigger: libmicrohttpd 0.9.75 zeroes the whole pool
 * when a keep-alive connection starts its next request (MHD_pool_reset)
 * and half of it once more, 1.5 times this per request. 128 kB (sessions
 * 10-15, for a 100 kB URL) cost 197 K of the daemon's 1,010 K
 * instructions a search, 64 kB 98 K (docs/searchd.md "Session 16"). */
#define VIND_SEARCHD_CONNECTION_MEMORY (64u * 1024u)
/* Seconds of idleness before MHD closes a connection, and the whole time a
 * client may take to send one request: a client sending one byte a second
 * never goes idle, so the daemon cuts it off at the deadline. */
#define VIND_SEARCHD_IDLE_SECONDS 15u
#define VIND_SEARCHD_REQUEST_SECONDS 10u
/* Connections at once, in total and from one address. */
#define VIND_SEARCHD_MAX_CONNECTIONS 512u
#define VIND_SEARCHD_MAX_CONNECTIONS_PER_IP 64u
/* Worker threads (each holds one open searcher, ~a few MB). */
#define VIND_SEARCHD_MAX_THREADS 64u
/* A searcher checks for a newer index revision at most this often: a commit
 * shows up within 0.2 s without a reopen on every request. */
#define VIND_SEARCHD_REOPEN_MS 200u
/* SIGTERM waits this long for in-flight requests before stopping anyway. */
#define VIND_SEARCHD_DRAIN_SECONDS 10u
/* Default time budget of one search in vind-searchd (--search-time-limit):
 * a normal search takes ~10 ms; 64 wildcards over a big index took 0.4-0.7 s
 * of CPU, and a client could keep every worker busy with them. Past the
 * budget Xapian stops counting exactly and the answer says "partial". */
#define VIND_SEARCHD_SEARCH_SECONDS 0.5
/* Costly-search admission in vind-searchd (searchd/admission.h): a search
 * of at least --heavy-search-ms of thread CPU makes its address "heavy" for
 * VIND_SEARCHD_HEAVY_SECONDS; at most --max-heavy-searches searches of heavy
 * addresses run at once. A normal corpus search costs ~0.3 ms (a cold one up
 * to ~7 ms); of the hostile probe's searches (size 100) 64 wildcards cost
 * 26-39 ms, a 32-word OR 4-8 ms, page 500-1000 ~1 ms (session 12).
 * The table keeps VIND_SEARCHD_HEAVY_ADDRESSES heavy addresses (32 bytes
 * each): more at once, and the one whose mark ends first is forgotten. */
#define VIND_SEARCHD_HEAVY_SEARCH_MS 20u
#define VIND_SEARCHD_HEAVY_SECONDS 10u
#define VIND_SEARCHD_HEAVY_ADDRESSES 256u
/* How long the table remembers an address's last costly search after its
 * heavy mark ended (session 18): its requests then queue behind those of
 * other addresses (searchd/server.c), though they are not refused. With 50
 * addresses sending costly searches, the queue held each one past its
 * 10 s mark, so admission refused 4 of 460 and a normal client waited 16 s. */
#define VIND_SEARCHD_COSTLY_MEMO_SECONDS 60u
/* Per-address fair queueing by cost (searchd/admission.h
 * vind_admission_recent_cpu, session 20): the search threads take the waiting
 * search whose address used the least search CPU lately, decayed by half
 * every VIND_SEARCHD_USAGE_HALF_LIFE_SECONDS. 200 addresses looping 64-word
 * OR searches of ~15 ms each (under --heavy-search-ms, so never heavy) held
 * a normal client's every search ~10 s in one FIFO (the hostile probe of
 * session 19). The table keeps VIND_SEARCHD_USAGE_ADDRESSES addresses
 * (40 bytes each, 160 kB), hashed, each looked for in a window of
 * VIND_SEARCHD_USAGE_PROBES slots; a full window forgets the address that
 * used least (which then starts again from 0). */
#define VIND_SEARCHD_USAGE_HALF_LIFE_SECONDS 10u
/* A query of more words than this may be costly before it runs
 * (searchd/admission.h vind_admission_query_may_be_costly, session 20):
 * it queues later, as a wildcard does. Of the 1,000 bench queries none has
 * more than 4 words; 64 content words OR'd at size 100 cost ~15 ms of CPU,
 * and 200 fresh addresses sending them held a normal client's first search
 * behind all of theirs (nothing else tells a fresh address's first search
 * from a normal client's). */
#define VIND_SEARCHD_COSTLY_QUERY_WORDS 12u
/* A search's expected cost a word of its query, for its rank in the search
 * queues (searchd/admission.h vind_admission_query_cost_us, session 20):
 * 64 content words OR'd at size 100 cost ~15 ms of CPU over the corpus,
 * ~0.23 ms a word. */
#define VIND_SEARCHD_WORD_COST_US 250
#define VIND_SEARCHD_USAGE_ADDRESSES 4096u
#define VIND_SEARCHD_USAGE_PROBES 8u
/* Trusted proxies (vind-searchd --trusted-proxy, searchd/proxy.h, session
 * 19): at most VIND_SEARCHD_MAX_TRUSTED_PROXIES networks, and at most
 * VIND_SEARCHD_MAX_FORWARDED_HOPS entries of X-Forwarded-For read from its
 * right end, whatever its length (a header of 1,000 addresses costs as much
 * as one of 16). A chain of proxies longer than 16 is not a real site's. */
#define VIND_SEARCHD_MAX_TRUSTED_PROXIES 64u
#define VIND_SEARCHD_MAX_FORWARDED_HOPS 16u
/* Known-cheap searches in vind-searchd (searchd/costmemo.h), off unless
 * $VIND_SEARCHD_CHEAP_SEARCH_US sets a bound in microseconds (1000 was
 * measured): an /api/search request whose last run over the same index cost
 * at most the bound runs on the libmicrohttpd worker that read it, without
 * the hand-over to a search thread. Off by default because a worker keeps
 * the connections libmicrohttpd gave it, unevenly, so under load the
 * searches no longer spread over the search threads (docs/searchd.md
 * "Session 18: the hand-over"). The memo keeps the last cost of
 * VIND_SEARCHD_COST_MEMO_ENTRIES keys (~240 bytes each). */
#define VIND_SEARCHD_COST_MEMO_ENTRIES 4096u
/* Matches a search counts exactly (vind_searcher_set_count_limit; vind-searchd,
 * vind search and vind count: --count-limit, 0 none). Counting with four
 * facets costs ~1.3 us of CPU per match (40,000 generated documents): 10,000
 * matches ~13 ms, a quarter of the 50 ms p99 target, where 100,000 would take
 * 130 ms alone. Past it the total is Xapian's estimate with bounds ("ongeveer
 * N"), the facet counts lower bounds (Elasticsearch's track_total_hits
 * default is the same 10,000). docs/scaling.md, "Exact counts, or 'ongeveer'". */
#define VIND_COUNT_LIMIT 10000u
/* Bytes of stored text, word maps and hit records a searcher keeps between
 * searches (vind_searcher_set_cache_size; vind-searchd --read-cache-size): the
 * shared corpus's hits (748 documents) fit in ~10 MB; with it a search of
 * bench/search-cost makes ~58 preads instead of ~103. Per searcher, so
 * vind-searchd holds it once per worker. */
#define VIND_READ_CACHE_BYTES (16u * 1024u * 1024u)
/* Facet values per facet in one /api/search answer: tags are free text, and
 * a site with 5,000 tags would otherwise send them all with every search
 * (the rest is counted in "more"). */
#define VIND_SEARCHD_MAX_FACET_VALUES 50u
/* Largest template or asset file loaded from the template folder. */
#define VIND_SEARCHD_MAX_ASSET_BYTES (1024u * 1024u)

#endif
