/*
 * xapian_wrap.cc - the only C++ in vind: include/vind/xapian.h implemented
 * over Xapian 1.4, after Cyrus IMAP's imap/xapian_wrap.cpp.
 *
 * Every exported function catches every exception (Xapian's, std::bad_alloc,
 * anything) and turns it into a vind_status_t plus a message naming the path
 * or term; query constructors return NULL instead. Results leave as malloc'd
 * C arrays built after the Xapian work is done, so no C code ever runs under
 * a C++ frame that could unwind through it.
 */
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <sstream>
#include <thread>
#include <type_traits>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <iterator>
#include <mutex>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <list>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

#include <vind/limits.h>
#include <vind/xapian.h>
extern "C" {
#include "error.h"
}

namespace {
struct ShardPool;

/*
 * What a reader read of its revision and may be asked for again: stored
 * page text, word maps (metadata), hit records (document values) and a
 * hit's positions of the query's terms. Xapian keeps no block cache of its
 * own (each read is a pread of an 8 kB block, ~3 us of system time on the
 * development VM), and a site's popular documents are the hits of many
 * searches: with the cache a search of bench/search-cost makes ~42 preads
 * instead of ~103 (~58 without the positions). Entries not read for the
 * longest go first (a clock), within `budget` bytes (keys, values and
 * ENTRY_OVERHEAD bytes of bookkeeping each). Cleared whenever the reader
 * moves to another revision, so nothing of an older revision is ever
 * answered.
 *
 * Laid out for a daemon's ~110 look-ups a search, most of them misses of
 * the CPU's caches (a 16 MB cache per worker thread): a key is a kind
 * (a letter) and a few bytes, hashed once; the table is open addressing
 * over 16-byte slots (hash, entry), and an entry is one allocation holding
 * its key and value together. A hit costs the slot's cache line and the
 * entry's first lines (~2 misses; std::unordered_map<std::string, ...>
 * cost the bucket, the node, a heap key and a heap value, ~200 ns).
 */
struct CacheKey {
    char kind; /* 'v' value, 'm' metadata, 'p' positions, 's' spelling, 't' postings,
                * 'f' term frequencies */
    const char *bytes;
    size_t size;
};

/* A value lent by the cache or the reader: valid until the reader's next read. */
struct Lent {
    const char *data;
    size_t size;
};

class ReadCache {
  public:
    /* One allocation: this header, then the key's bytes, then the value's
     * and a NUL.
     * Held by the cache and by each lender (vind_xapian_reader_lend_metadata):
     * freed when the last lets go, so a lent value outlives its eviction. */
    struct Entry {
        uint64_t hash;
        uint32_t key_size, value_size;
        uint32_t holders; /* the cache (until evicted or cleared) and each lender */
        char kind;
        bool used; /* read since it was kept, or since the clock last passed */
        char *key() { return reinterpret_cast<char *>(this + 1); }
        char *value() { return key() + key_size; }
    };

    /* Another holder of entry: it stays until release. */
    static void hold(Entry *entry) { entry->holders++; }

    /* One holder lets go; the last frees the entry. */
    static void release(Entry *entry)
    {
        if (--entry->holders == 0)
            std::free(entry);
    }

    /* Bytes counted per entry besides its key and value: the entry's
     * header and allocation, two table slots (the table is at most half
     * full), its place in the clock. */
    static constexpr size_t ENTRY_OVERHEAD = 80;

    ReadCache() = default;
    ReadCache(const ReadCache &) = delete;
    ReadCache &operator=(const ReadCache &) = delete;
    ~ReadCache() { clear(); }

    /* Whether key is cached; then *lent is its value (until the next put,
     * clear or set_budget). Cost: a hash of the key, the slot's line and
     * the entry's (the entry marked used: no list to relink). */
    bool find(const CacheKey &key, Lent *lent)
    {
        Entry *entry = find_entry(key);
        if (entry == nullptr)
            return false;
        *lent = {entry->value(), entry->value_size};
        return true;
    }

    /* The entry kept under key (marked used), or nullptr. */
    Entry *find_entry(const CacheKey &key)
    {
        if (count_ == 0)
            return nullptr;
        const uint64_t hash = hash_key(key);
        for (size_t at = hash & mask_;; at = (at + 1) & mask_) {
            const Slot &slot = slots_[at];
            if (slot.entry == nullptr)
                return nullptr;
            if (slot.hash == hash && matches(slot.entry, key)) {
                slot.entry->used = true;
                return slot.entry;
            }
        }
    }

    /* Keeps a copy of value under key (a key not cached: callers look
     * first), making room past the budget. A value over a quarter of the
     * budget is not kept: it would push out many small ones. The entry
     * kept, or nullptr. */
    Entry *put(const CacheKey &key, const char *value, size_t size)
    {
        const size_t cost = entry_cost(key.size, size);
        if (budget_ == 0 || cost > budget_ / 4 || size > UINT32_MAX || key.size > UINT32_MAX)
            return nullptr;
        /* + 1: a NUL past the value, so that a lent value is a C string too */
        Entry *entry = static_cast<Entry *>(std::malloc(sizeof(Entry) + key.size + size + 1));
        if (entry == nullptr)
            return nullptr; /* not kept: the value was read all the same */
        entry->holders = 1;
        entry->hash = hash_key(key);
        entry->key_size = (uint32_t)key.size;
        entry->value_size = (uint32_t)size;
        entry->kind = key.kind;
        entry->used = false;
        std::memcpy(entry->key(), key.bytes, key.size);
        std::memcpy(entry->value(), value, size);
        entry->value()[size] = '\0';
        try {
            /* room first: evicted after it was kept, the new entry could go
             * at once (when every older one was read since the clock last
             * passed, they all get their second chance before it) */
            while (used_ + cost > budget_ && !order_.empty())
                evict_one();
            if (2 * (count_ + 1) > slots_.size())
                grow();
            order_.push_back(entry);
        } catch (...) {
            std::free(entry);
            throw;
        }
        insert(entry);
        used_ += cost;
        return entry;
    }

    void clear()
    {
        for (Entry *entry : order_)
            release(entry);
        order_.clear();
        std::fill(slots_.begin(), slots_.end(), Slot{0, nullptr});
        count_ = 0;
        used_ = 0;
    }

    size_t used() const { return used_; }

    size_t budget() const { return budget_; }

    void set_budget(size_t bytes)
    {
        budget_ = bytes;
        if (used_ > budget_)
            clear();
        if (budget_ == 0)
            slots_ = std::vector<Slot>(); /* no table either */
    }

  private:
    struct Slot {
        uint64_t hash;
        Entry *entry; /* nullptr: free */
    };

    static size_t entry_cost(size_t key_size, size_t value_size)
    {
        return key_size + value_size + ENTRY_OVERHEAD;
    }

    /* A 64-bit hash of the kind and bytes, eight bytes a step (keys are
     * 8-30 bytes: a value's is 8, a page text chunk's ~20). */
    static uint64_t hash_key(const CacheKey &key)
    {
        uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)(unsigned char)key.kind << 56) ^ key.size;
        size_t at = 0;
        for (; at + 8 <= key.size; at += 8) {
            uint64_t word;
            std::memcpy(&word, key.bytes + at, 8);
            h = (h ^ word) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
        }
        if (at < key.size) {
            uint64_t word = 0;
            std::memcpy(&word, key.bytes + at, key.size - at);
            h = (h ^ word) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
        }
        h *= 0xc4ceb9fe1a85ec53ull;
        return h ^ (h >> 29);
    }

    static bool matches(Entry *entry, const CacheKey &key)
    {
        return entry->kind == key.kind && entry->key_size == key.size &&
               std::memcmp(entry->key(), key.bytes, key.size) == 0;
    }

    void insert(Entry *entry)
    {
        size_t at = entry->hash & mask_;
        while (slots_[at].entry != nullptr)
            at = (at + 1) & mask_;
        slots_[at] = Slot{entry->hash, entry};
        count_++;
    }

    /* Doubles the table (at least 64 slots) and places every entry again. */
    void grow()
    {
        std::vector<Slot> old(std::max<size_t>(64, 2 * slots_.size()), Slot{0, nullptr});
        old.swap(slots_);
        mask_ = slots_.size() - 1;
        count_ = 0;
        for (const Slot &slot : old)
            if (slot.entry != nullptr)
                insert(slot.entry);
    }

    /* Takes entry out of the table: linear probing's deletion, moving back
     * each later entry of the run that may no longer be found past the
     * hole (no tombstones, so a miss ends at the first free slot). */
    void remove(Entry *entry)
    {
        size_t hole = entry->hash & mask_;
        while (slots_[hole].entry != entry)
            hole = (hole + 1) & mask_;
        for (size_t at = (hole + 1) & mask_; slots_[at].entry != nullptr; at = (at + 1) & mask_) {
            const size_t home = slots_[at].hash & mask_;
            /* moves back unless its home lies cyclically in (hole, at] */
            const bool stays = hole <= at ? (hole < home && home <= at) : (hole < home || home <= at);
            if (!stays) {
                slots_[hole] = slots_[at];
                hole = at;
            }
        }
        slots_[hole] = Slot{0, nullptr};
        count_--;
    }

    /* The clock (second chance, an approximation of least recently used):
     * the oldest entry goes unless it was read since the clock last passed
     * it; then it is kept once more, at the back. */
    void evict_one()
    {
        Entry *entry = order_.front();
        if (entry->used) {
            order_.push_back(entry); /* first: should it throw, nothing changed */
            order_.pop_front();
            entry->used = false;
            return;
        }
        order_.pop_front();
        used_ -= entry_cost(entry->key_size, entry->value_size);
        remove(entry);
        release(entry);
    }

    std::vector<Slot> slots_; /* a power of two, at most half full */
    size_t mask_ = 0, count_ = 0;
    std::deque<Entry *> order_; /* every entry, oldest first */
    size_t budget_ = 0, used_ = 0;
};

/*
 * The values of the matches fed to the spies after a run (run_feeding),
 * which come in docid order: each slot's value stream is followed along
 * them, a step within a chunk per match, not a B-tree look-up per value
 * (a document's get_value: without the facet ordinals, i.e. with no read
 * cache, that made the ranked passes of the bench requests cost 716 M ->
 * 918 M instructions).
 */
class ValueStreams
{
  public:
    explicit ValueStreams(const Xapian::Database &database) : database_(database) {}

    /* The value in slot of document did, did at least the last asked. */
    std::string value(Xapian::valueno slot, Xapian::docid did)
    {
        auto found = streams_.find(slot);
        if (found == streams_.end())
            found = streams_.emplace(slot, database_.valuestream_begin(slot)).first;
        Xapian::ValueIterator &stream = found->second;
        if (stream != end_ && stream.get_docid() < did)
            stream.skip_to(did);
        return stream != end_ && stream.get_docid() == did ? *stream : std::string();
    }

  private:
    const Xapian::Database &database_;
    std::map<Xapian::valueno, Xapian::ValueIterator> streams_;
    const Xapian::ValueIterator end_;
};

/*
 * A match a spy counts: its docid, and its values. During a run Xapian
 * hands the spy the match's document; a spy fed after the run
 * (run_feeding) has the docid and reads values from the value streams.
 */
class MatchRef
{
  public:
    explicit MatchRef(const Xapian::Document &document)
        : did_(document.get_docid()), document_(&document)
    {
    }
    MatchRef(ValueStreams &streams, Xapian::docid did) : did_(did), streams_(&streams) {}
    Xapian::docid docid() const
    {
        return did_;
    }
    std::string value(Xapian::valueno slot) const
    {
        return document_ != nullptr ? document_->get_value(slot) : streams_->value(slot, did_);
    }

  private:
    Xapian::docid did_;
    const Xapian::Document *document_ = nullptr;
    ValueStreams *streams_ = nullptr;
};

/*
 * Facet ordinals: each distinct packed facets value (lib/index.c
 * add_packed_facets) gets a small number, and each document the number of
 * its value, as Lucene's doc values or Elasticsearch's global ordinals do
 * for aggregations. A counting pass then adds one to a counter per match
 * and splits and tests each distinct value once, not once per match.
 *
 * Kept per reader of one database and revision (the reader's `ordinals`, emptied with its
 * read cache: replace_document keeps a docid, so a value may change under
 * it), or per counting pass (`by_docid` off: the value is read per match
 * and only its splitting is shared). A full table (values and the docid
 * array past `limit` bytes) answers FULL for a document it does not know,
 * and its caller counts that one the old way: the table never changes
 * ordinals while a pass holds them.
 */
void split_parts(const std::string &value, bool multi, std::vector<std::string> &parts);

class PackedOrdinals {
  public:
    static constexpr uint32_t FULL = UINT32_MAX;

    explicit PackedOrdinals(bool by_docid) : by_docid_(by_docid) {}

    /* The ordinal of the document's value in slot, or FULL. Cost: an array
     * read when the document was seen at this revision; else a value read
     * and a hash look-up. */
    uint32_t of(const MatchRef &match, Xapian::valueno slot)
    {
        const Xapian::docid did = match.docid();
        if (by_docid_ && did < docids_.size() && docids_[did] != 0)
            return docids_[did] - 1;
        const uint32_t ordinal = intern(match.value(slot));
        if (by_docid_ && ordinal != FULL && remember(did, ordinal) == FULL)
            return FULL;
        return ordinal;
    }

    /* The parts of field `field` (0x1E-separated) of the ordinal's value,
     * as split_parts makes them (multi: the distinct 0x1F-separated parts;
     * else the whole field; none when empty), as ids of part(). */
    std::pair<const uint32_t *, size_t> parts(uint32_t ordinal, size_t field, bool multi) const
    {
        /* A field's place is kept (field_at_), not found by walking the
         * fields before it: ~4 M instructions over the bench requests'
         * round (docs/searchd.md, "The new index's matching cost"). */
        const uint32_t first = field_first_[ordinal];
        if (first + field >= field_first_[ordinal + 1])
            return {nullptr, 0};
        const uint32_t *at = layout_.data() + field_at_[first + field];
        if (multi)
            return {at + 2, at[1]};
        return {at, at[0] == NONE ? 0 : 1};
    }

    const std::string &part(uint32_t id) const { return parts_[id]; }

    /* The id of field's part text, if the table knows it. A hash look-up. */
    bool find_part(size_t field, const std::string &text, uint32_t *id) const
    {
        auto found = part_ids_.find(PartKey{(unsigned char)field, text});
        if (found == part_ids_.end())
            return false;
        *id = found->second;
        return true;
    }

    /* A facet flush's tables, per counted slot and indexed by part id (each
     * part's filter verdict and count, CountSpy::flush), all zero while
     * kept here. Lent to one CountSpy at a time and given back zeroed
     * where it wrote, so that a search neither allocates nor zeroes tables
     * of every part known (~5.8 M instructions over the bench requests'
     * round, docs/searchd.md "The new index's matching cost"). Outside
     * bytes_: a few bytes per part and slot, and per packed value. */
    struct FlushTables {
        std::vector<std::vector<uint8_t>> verdicts; /* 0 not tested, 1 passes, 2 fails */
        std::vector<std::vector<uint32_t>> tallies;
        /* A spy's working lists (CountSpy's pending_, touched_, counted_,
         * tested_, flushed_), kept here empty (pending all zero) with their
         * capacity: the spy of every run grew them from nothing, a realloc
         * at each doubling (8.2 M instructions a round of the bench
         * requests, docs/searchd.md "Session 20"). */
        std::vector<uint32_t> pending, touched;
        std::vector<std::vector<uint32_t>> counted, tested;
        std::vector<std::vector<std::pair<uint32_t, uint32_t>>> flushed;
    };

    /* Moves the tables into into; false while another spy holds them. */
    bool lend_tables(FlushTables &into)
    {
        if (tables_lent_)
            return false;
        into = std::move(tables_);
        tables_lent_ = true;
        return true;
    }

    /* Takes them back: every entry zero again. */
    void take_back_tables(FlushTables &from) noexcept
    {
        tables_ = std::move(from);
        tables_lent_ = false;
    }

    /* Each part id's place in the byte order of the parts' texts, so that a
     * facet's equal counts are ordered by comparing two numbers, not two
     * strings (the sort's string comparisons were ~2/3 of
     * vind_xapian_enquire_slot_counts' 17.4 M a round). Parts added since
     * the last call are sorted and merged in: a string comparison per part
     * known, once per search that met new values; none once every
     * document's values are known. May throw std::bad_alloc. */
    const std::vector<uint32_t> &ranks()
    {
        if (ranks_.size() == parts_.size())
            return ranks_;
        const size_t known = by_text_.size();
        for (size_t id = known; id < parts_.size(); id++)
            by_text_.push_back((uint32_t)id);
        auto before = [this](uint32_t a, uint32_t b) { return parts_[a] < parts_[b]; };
        std::sort(by_text_.begin() + (std::ptrdiff_t)known, by_text_.end(), before);
        std::inplace_merge(by_text_.begin(), by_text_.begin() + (std::ptrdiff_t)known,
                           by_text_.end(), before);
        ranks_.resize(parts_.size());
        for (size_t rank = 0; rank < by_text_.size(); rank++)
            ranks_[by_text_[rank]] = (uint32_t)rank;
        return ranks_;
    }

    size_t part_count() const { return parts_.size(); }

    void clear()
    {
        docids_ = std::vector<uint32_t>();
        ordinals_.clear();
        layout_.clear();
        field_at_.clear();
        field_first_.assign(1, 0);
        part_ids_.clear(); /* before parts_: its keys are views of them */
        parts_.clear();
        by_text_.clear();
        ranks_.clear();
        bytes_ = 0;
    }

    /* At most bytes (0: no bound) from the next value on; a smaller bound
     * than what is kept empties the table. */
    void set_limit(size_t bytes)
    {
        limit_ = bytes;
        if (limit_ != 0 && bytes_ + 4 * docids_.capacity() > limit_)
            clear();
    }

  private:
    uint32_t intern(const std::string &value)
    {
        auto found = ordinals_.find(value);
        if (found != ordinals_.end())
            return found->second;
        /* The value once, as its map key: until session 16 a second copy
         * (never read) halved how many of a feed's long values fit. */
        const size_t cost = value.size() + 64; /* the string, the node */
        if (over(cost) || ordinals_.size() >= FULL - 1)
            return FULL;
        const uint32_t ordinal = (uint32_t)ordinals_.size();
        ordinals_.emplace(value, ordinal);
        bytes_ += cost;
        lay_out(value);
        return ordinal;
    }

    /* Appends the value's fields to layout_: per field its whole text's
     * part id (NONE when empty), then its distinct 0x1F-separated parts'. */
    void lay_out(const std::string &value)
    {
        const size_t before = layout_.size(), fields_before = field_at_.size();
        size_t start = 0, field = 0;
        std::vector<std::string> split;
        for (;; field++) {
            field_at_.push_back((uint32_t)layout_.size());
            size_t end = value.find('\x1e', start);
            const std::string text(value, start,
                                   (end == std::string::npos ? value.size() : end) - start);
            layout_.push_back(text.empty() ? NONE : part_id(field, text));
            split_parts(text, true, split);
            layout_.push_back((uint32_t)split.size());
            for (const std::string &part : split)
                layout_.push_back(part_id(field, part));
            if (end == std::string::npos)
                break;
            start = end + 1;
        }
        field_first_.push_back((uint32_t)field_at_.size());
        bytes_ += 4 * (layout_.size() - before + field_at_.size() - fields_before + 1);
    }

    /* Ids are per field: a tag and a theme of the same text are two parts.
     * The text is kept once, in parts_ (a deque: it never moves), and the
     * look-up's key is a view of it: until session 16 the key was a second
     * copy, so a feed's long tags (200 bytes) cost twice what they hold and
     * fewer of its documents fit the bound (docs/security.md). */
    uint32_t part_id(size_t field, const std::string &text)
    {
        auto found = part_ids_.find(PartKey{(unsigned char)field, text});
        if (found != part_ids_.end())
            return found->second;
        const uint32_t id = (uint32_t)parts_.size();
        parts_.push_back(text);
        part_ids_.emplace(PartKey{(unsigned char)field, parts_.back()}, id);
        bytes_ += text.size() + 96 + 8; /* + its by_text_ and ranks_ entries */
        return id;
    }

    uint32_t remember(Xapian::docid did, uint32_t ordinal)
    {
        if (did >= docids_.size()) {
            const size_t grown = std::max<size_t>((size_t)did + 1, 2 * docids_.size());
            if (grown > docids_.capacity() && over(4 * (grown - docids_.capacity())))
                return FULL;
            docids_.resize(grown, 0);
        }
        docids_[did] = ordinal + 1;
        return ordinal;
    }

    bool over(size_t more) const
    {
        return limit_ != 0 && bytes_ + 4 * docids_.capacity() + more > limit_;
    }

    static constexpr uint32_t NONE = UINT32_MAX;

    bool by_docid_;
    std::vector<uint32_t> docids_; /* docid -> ordinal + 1 (0: not seen) */
    std::unordered_map<std::string, uint32_t> ordinals_; /* value -> ordinal */
    std::vector<uint32_t> layout_;   /* each value's fields' part ids (lay_out) */
    std::vector<uint32_t> field_at_; /* each value's fields' first entries in layout_ */
    std::vector<uint32_t> field_first_{0}; /* ordinal -> its first entry in field_at_ */
    /* A part's field and a view of its text (in parts_). */
    struct PartKey {
        unsigned char field;
        std::string_view text;
        bool operator==(const PartKey &other) const
        {
            return field == other.field && text == other.text;
        }
    };
    struct PartKeyHash {
        size_t operator()(const PartKey &key) const
        {
            return std::hash<std::string_view>()(key.text) ^ key.field;
        }
    };
    std::deque<std::string> parts_; /* part id -> text; a deque, as part_ids_ views it */
    std::unordered_map<PartKey, uint32_t, PartKeyHash> part_ids_; /* field, text -> id */
    std::vector<uint32_t> by_text_; /* the part ids ranks() has ordered, in byte order */
    std::vector<uint32_t> ranks_;   /* part id -> its place in by_text_ */
    FlushTables tables_;
    bool tables_lent_ = false;
    size_t bytes_ = 0, limit_ = 0;
};
} // namespace

struct vind_xapian_writer {
    Xapian::WritableDatabase database; /* shard 0 of a sharded database */
    std::string path;
    /* Every shard in stub order (database is the first); one entry for a
     * plain database. docs/scaling.md, "Shards". */
    std::vector<Xapian::WritableDatabase> shards;
    /* The shards as one database (global, interleaved docids), for reads. */
    Xapian::Database combined;
    /* Whether our always-open Xapian transaction is active (see the header:
     * it keeps Xapian from committing on its own). */
    bool in_transaction = false;
    /* Whether the caller opened a transaction with begin_transaction. */
    bool user_transaction = false;
    /* The threads that write the shards in parallel (null: every write in
     * the caller's thread, as for one database). See "parallel writers". */
    std::shared_ptr<ShardPool> pool;
};

/*
 * The rank of each document's value of one slot among every value of that
 * slot at one revision (byte order, as strcmp; equal values share a rank,
 * a document without a value ranks 0, below every value): comparing two
 * ranks answers what comparing the two values would. Ties of weight are
 * ordered by URL this way (vind_xapian_reader_value_ranks) without reading
 * a URL per tied match. Memory: 4 bytes per docid up to the last one
 * (748 documents: 3 KB; a million: 4 MB), built once per revision with one
 * pass over the slot's value stream and a sort of its values.
 */
class ValueRanks {
  public:
    /* Builds the table of slot at database's revision. Throws what Xapian throws. */
    void build(const Xapian::Database &database, Xapian::valueno slot)
    {
        std::vector<std::pair<std::string, Xapian::docid>> values;
        for (Xapian::ValueIterator it = database.valuestream_begin(slot);
             it != database.valuestream_end(slot); ++it)
            values.emplace_back(*it, it.get_docid());
        std::sort(values.begin(), values.end());
        ranks_.assign((size_t)database.get_lastdocid() + 1, 0);
        uint32_t rank = 0;
        for (size_t i = 0; i < values.size(); i++) {
            if (i == 0 || values[i].first != values[i - 1].first)
                rank++;
            ranks_[values[i].second] = rank;
        }
        slot_ = slot;
    }

    bool built_for(Xapian::valueno slot) const { return slot_ == slot; }

    /* The rank of docid's value; 0 past the last docid. */
    uint32_t of(Xapian::docid did) const { return did < ranks_.size() ? ranks_[did] : 0; }

    size_t bytes(const Xapian::Database &database) const
    {
        return 4 * ((size_t)database.get_lastdocid() + 1);
    }

    void clear()
    {
        ranks_ = std::vector<uint32_t>();
        slot_ = Xapian::BAD_VALUENO;
    }

  private:
    std::vector<uint32_t> ranks_; /* by docid */
    Xapian::valueno slot_ = Xapian::BAD_VALUENO;
};

/*
 * The documents that have a value in one slot, and their values, in docid
 * order, at one revision: the collapse key's slot, which only documents
 * with a near-duplicate fill (docs/schema.md; 22 of the corpus's 748).
 * A match counter walks it along the matches instead of opening the slot's
 * value stream in every run (~2,700 instructions) and skipping along it
 * (~500 a skip; docs/searchd.md, "A match's cost, session 15"). Memory:
 * bytes() per keyed document; built once per revision with one pass over
 * the slot's value stream.
 */
class KeyedDocs {
  public:
    /* Builds the table of slot at database's revision. Throws what Xapian throws. */
    void build(const Xapian::Database &database, Xapian::valueno slot)
    {
        entries_.clear();
        for (Xapian::ValueIterator it = database.valuestream_begin(slot);
             it != database.valuestream_end(slot); ++it)
            entries_.emplace_back(it.get_docid(), *it);
        slot_ = slot;
    }

    bool built_for(Xapian::valueno slot) const { return slot_ == slot; }

    /* A bound of the memory a table of slot takes (48 bytes a value). */
    static size_t bytes(const Xapian::Database &database, Xapian::valueno slot)
    {
        return 48 * (size_t)database.get_value_freq(slot);
    }

    const std::vector<std::pair<Xapian::docid, std::string>> &entries() const { return entries_; }

    void clear()
    {
        entries_ = std::vector<std::pair<Xapian::docid, std::string>>();
        slot_ = Xapian::BAD_VALUENO;
    }

  private:
    std::vector<std::pair<Xapian::docid, std::string>> entries_; /* by docid */
    Xapian::valueno slot_ = Xapian::BAD_VALUENO;
};

/* A match as a run's match spy is handed it: its docid and weight. */
struct RankedMatch {
    Xapian::docid did;
    double wt;
};

struct vind_xapian_reader {
    Xapian::Database database; /* every shard as one (global docids) */
    std::string path;
    /* A sharded database (a stub): each shard alone, in stub order (empty
     * for a plain database). Metadata keyed by docid lives in the
     * document's shard under its local docid; other metadata is read from
     * the first shard (Xapian's combined get_metadata reads only that). */
    std::vector<Xapian::Database> shards;
    std::vector<bool> shard_remote;
    bool remote = false; /* some shard is remote: no custom match spies */
    /* The database holding the spelling table: the database itself, the
     * first shard, or the stub's "#vind-spelling PATH" copy; none when the
     * first shard is remote and no copy is named. */
    Xapian::Database spelling;
    bool has_spelling = true;
    /* The search's time budget (vind_xapian_reader_set_budget): a run
     * started after it ends examines only the page asked for. */
    bool has_deadline = false;
    std::chrono::steady_clock::time_point deadline{};
    /* A reader made by vind_xapian_writer_reader shares the writer's
     * shards: it waits for their writer threads before it reads. */
    std::shared_ptr<ShardPool> pool;
    /* Values read at this revision (vind_xapian_reader_set_cache); empty,
     * budget 0, unless the caller asks for it. Never for a reader that
     * shares a writer's shards (they change without a reopen) or has a
     * remote shard (a replica may switch copies without one). */
    ReadCache cache;
    bool cacheable = false;
    /* The last value read past the cache (none kept, or not cacheable):
     * what read_cached lends then, until the reader's next read. */
    std::string lent;
    /* Facet ordinals at this revision, bounded and emptied with the cache
     * (budget 0: none kept; each counting pass keeps its own). */
    PackedOrdinals ordinals{true};
    /* Value ranks of one slot at this revision, emptied with the cache
     * (vind_xapian_reader_value_ranks). */
    ValueRanks ranks;
    /* The collapse key's documents at this revision, emptied with the
     * cache (MatchCounter). */
    KeyedDocs keyed;
    /* A fed run's matches (MatchRecorder, run_feeding), kept empty with
     * their capacity between runs: grown from nothing by each run, a
     * realloc at each doubling (docs/searchd.md "Session 20"). */
    std::vector<RankedMatch> recorded;
};

/* A value lent by vind_xapian_reader_lend_metadata: a cache entry held,
 * or (not cached) the value itself. */
struct vind_xapian_lent {
    ReadCache::Entry *entry = nullptr;
    std::string owned;

    vind_xapian_lent() = default;
    vind_xapian_lent(const vind_xapian_lent &) = delete;
    vind_xapian_lent &operator=(const vind_xapian_lent &) = delete;
    ~vind_xapian_lent()
    {
        if (entry != nullptr)
            ReadCache::release(entry);
    }
};

struct vind_xapian_document {
    Xapian::Document document;
};

struct vind_xapian_query {
    Xapian::Query query;
};

namespace
{

/* The distinct parts of a value (a multi-valued one split at 0x1F), sorted;
 * none when it is empty. */
void split_parts(const std::string &value, bool multi, std::vector<std::string> &parts)
{
    parts.clear();
    if (value.empty())
        return;
    if (!multi) {
        parts.push_back(value);
        return;
    }
    size_t start = 0;
    while (start <= value.size()) {
        size_t end = value.find('\x1f', start);
        if (end == std::string::npos)
            end = value.size();
        if (end > start)
            parts.emplace_back(value, start, end - start);
        start = end + 1;
    }
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
}

/*
 * The counting pass of a search in one spy: per document, the values of a
 * few slots (facets) are read once, tested against the request's filters
 * (the caller's test, cached per distinct value) and counted. A document
 * passing every filter counts into passed() and, for each slot, its values
 * (or none_ when it has none). Unless exclusive, a document failing exactly
 * one filter still counts for that slot (multi-select: a facet's counts
 * ignore its own filter). Cost per match: one value read per slot and a
 * hash lookup per part.
 */
/*
 * Counts the documents a run matches, before collapsing, and what collapsing
 * leaves (the documents without a key plus the distinct keys). With a
 * collapse key, Xapian 1.4's counts are estimates even when every document
 * was examined (the corpus: 95 documents for the 99 matches of "CSS en
 * JavaScripters", 100 left after collapsing them), while a match spy sees
 * every match then. The keys are read from the slot's value stream, which
 * follows the matches in docid order: only documents with a near-duplicate
 * have a key (docs/schema.md), so per match this costs a count and a docid
 * comparison, and a value read and a hash look-up for the few keyed ones.
 */
class MatchCounter : public Xapian::MatchSpy
{
  public:
    /* sharded: the database has several shards. Xapian 1.4 hands a spy
     * the documents of a combined database shard by shard, each with its
     * docid in its shard, so the docid tells no shard and no value stream
     * can be followed: each match's key is read from the document instead
     * (a value read per match; docs/scaling.md, "Shards"). */
    /* table: the reader's keyed documents of slot at this revision, or
     * null (the slot's value stream is read in each run). */
    MatchCounter(const Xapian::Database &database, Xapian::valueno slot, bool sharded,
                 const KeyedDocs *table)
        : database(database), slot(slot), sharded(sharded), table(table)
    {
    }
    void operator()(const Xapian::Document &doc, double) override
    {
        see(MatchRef(doc));
    }
    /* One match: during the run, or after it (run_feeding, in docid order). */
    void see(const MatchRef &match)
    {
        ++seen;
        if (sharded) {
            std::string key = match.value(slot);
            if (key.empty())
                ++alone;
            else
                ++keys[key];
            return;
        }
        Xapian::docid did = match.docid();
        if (tabled) {
            see_in_table(did);
            return;
        }
        if (did < last) /* not in docid order: read the stream from its start */
            keyed = database.valuestream_begin(slot);
        last = did;
        if (keyed != end && keyed.get_docid() < did)
            keyed.skip_to(did);
        if (keyed != end && keyed.get_docid() == did) {
            const std::string key = *keyed;
            ++keys[key];
            key_of[did] = key;
        } else {
            ++alone;
        }
    }
    void reset()
    {
        seen = alone = 0;
        keys.clear();
        key_of.clear();
        /* The table, unless the reader emptied it since (a reopen, a
         * cache set to 0): then the stream. */
        tabled = table != nullptr && table->built_for(slot);
        if (!sharded && !tabled)
            keyed = database.valuestream_begin(slot);
        last = 0;
        at = 0;
    }
    Xapian::doccount seen = 0, alone = 0;
    std::unordered_map<std::string, Xapian::doccount> keys; /* matches per key */
    /* The key of each keyed match (not sharded: docids are global). */
    std::unordered_map<Xapian::docid, std::string> key_of;

  private:
    /* see() along the table: a docid comparison or a few a match. */
    void see_in_table(Xapian::docid did)
    {
        const std::vector<std::pair<Xapian::docid, std::string>> &entries = table->entries();
        if (did < last) /* not in docid order: from the table's start */
            at = 0;
        last = did;
        while (at < entries.size() && entries[at].first < did)
            at++;
        if (at < entries.size() && entries[at].first == did) {
            const std::string &key = entries[at].second;
            ++keys[key];
            key_of[did] = key;
        } else {
            ++alone;
        }
    }

    Xapian::Database database;
    Xapian::valueno slot;
    bool sharded;
    const KeyedDocs *table;
    bool tabled = false; /* this run walks table */
    Xapian::ValueIterator keyed, end;
    Xapian::docid last = 0;
    size_t at = 0; /* the first table entry not below last */
};

/* Thrown by a CountSpy that has seen as many documents as it may count:
 * it ends the run (vind_xapian_enquire_run catches it). */
struct CountStopped {
};

class CountSpy : public Xapian::MatchSpy
{
  public:
    /* ordinals: the reader's facet ordinals, or null for ones of this
     * spy's own (used only when every slot is a field of one packed value). */
    CountSpy(const vind_xapian_count_slot_t *slots, size_t n, bool exclusive,
             vind_xapian_value_test_t test, void *data, PackedOrdinals *ordinals)
        : slots_(slots, slots + n), exclusive_(exclusive), test_(test), data_(data), cache_(n),
          counts_(n), flushed_(n), none_(n, 0), parts_(n), passes_(n), own_ordinals_(false), ids_(n),
          counted_(n), tested_(n)
    {
        packed_slot_ = every_slot_packed();
        ordinals_ = ordinals != nullptr ? ordinals : &own_ordinals_;
        borrowed_ = ordinals != nullptr && ordinals->lend_tables(tables_);
        try {
            if (tables_.verdicts.size() < n)
                tables_.verdicts.resize(n);
            if (tables_.tallies.size() < n)
                tables_.tallies.resize(n);
            if (borrowed_)
                take_lists(n);
        } catch (...) {
            if (borrowed_) /* no destructor runs for a spy not made */
                ordinals_->take_back_tables(tables_);
            throw;
        }
    }

    /* The reader's tables go back zeroed: the verdicts this spy made, and
     * any count a flush cut short left. */
    ~CountSpy() override
    {
        if (!borrowed_)
            return;
        for (size_t i = 0; i < slots_.size(); i++) {
            for (uint32_t id : tested_[i])
                tables_.verdicts[i][id] = 0;
            for (uint32_t id : counted_[i])
                tables_.tallies[i][id] = 0;
            tested_[i].clear();
            counted_[i].clear();
            flushed_[i].clear();
        }
        for (uint32_t ordinal : touched_)
            pending_[ordinal] = 0;
        touched_.clear();
        swap_lists();
        ordinals_->take_back_tables(tables_);
    }

    CountSpy(const CountSpy &) = delete;
    CountSpy &operator=(const CountSpy &) = delete;

    void operator()(const Xapian::Document &document, double) override
    {
        /* Xapian 1.4 stops a run at check_at_least only when it keeps
         * items or nothing weighs (BoolWeight, one database); the counting
         * pass keeps none and weighs with bnn (vind_xapian_enquire_set_boolean),
         * so the spy ends it: at the first match past the limit. */
        if (stop_after_ && seen_ >= stop_after_)
            throw CountStopped();
        see(MatchRef(document));
    }

    /* One match: during the run, or after it (run_feeding, in docid order). */
    void see(const MatchRef &match)
    {
        last_docid_ = match.docid();
        if (packed_slot_ != Xapian::BAD_VALUENO) {
            defer(match);
            return;
        }
        read_packed(match);
        for (size_t i = 0; i < slots_.size(); i++) {
            if (slots_[i].packed_field > 0)
                split_parts(field(slots_[i].packed_field - 1), slots_[i].multi_valued != 0, parts_[i]);
            else
                split_parts(match.value(slots_[i].slot), slots_[i].multi_valued != 0, parts_[i]);
        }
        tally(1);
    }

    /* Counts documents documents whose packed value is packed, as if each
     * had been seen by operator(): over remote shards a stock
     * ValueCountMatchSpy counts each distinct packed value, and every
     * filtered facet's value is inside it (docs/scaling.md). Only when
     * every_slot_packed(). */
    void add_packed(const std::string &packed, uint32_t documents)
    {
        split_fields(packed);
        for (size_t i = 0; i < slots_.size(); i++)
            split_parts(field(slots_[i].packed_field - 1), slots_[i].multi_valued != 0, parts_[i]);
        tally(documents);
    }

    /* The slot every counted slot is a field of, or BAD_VALUENO. */
    Xapian::valueno every_slot_packed() const
    {
        Xapian::valueno packed = Xapian::BAD_VALUENO;
        for (const vind_xapian_count_slot_t &s : slots_) {
            if (s.packed_field <= 0 || (packed != Xapian::BAD_VALUENO && s.packed_slot != packed))
                return Xapian::BAD_VALUENO;
            packed = s.packed_slot;
        }
        return packed;
    }

    /* Counts the matches deferred by ordinal (defer): each distinct value
     * split, tested and counted once, times its matches. Before counts(),
     * passed() or none() are read. */
    void flush()
    {
        if (touched_.empty())
            return;
        flushes_++;
        for (size_t i = 0; i < slots_.size(); i++) {
            /* Grown to the parts known; zero already (lent zeroed). */
            if (tables_.verdicts[i].size() < ordinals_->part_count())
                tables_.verdicts[i].resize(ordinals_->part_count(), 0);
            if (tables_.tallies[i].size() < ordinals_->part_count())
                tables_.tallies[i].resize(ordinals_->part_count(), 0);
        }
        for (uint32_t ordinal : touched_) {
            const uint32_t documents = pending_[ordinal];
            pending_[ordinal] = 0;
            for (size_t i = 0; i < slots_.size(); i++)
                ids_[i] = ordinals_->parts(ordinal, (size_t)slots_[i].packed_field - 1,
                                           slots_[i].multi_valued != 0);
            multi_select(
                documents, [this](size_t i) { return passes_ids(i); },
                [this](size_t i, uint32_t n) { count_ids(i, n); });
        }
        touched_.clear();
        for (size_t i = 0; i < slots_.size(); i++) {
            for (uint32_t id : counted_[i]) {
                flushed_[i].emplace_back(id, tables_.tallies[i][id]);
                tables_.tallies[i][id] = 0;
            }
            counted_[i].clear();
        }
    }

    void reset()
    {
        for (uint32_t ordinal : touched_)
            pending_[ordinal] = 0;
        touched_.clear();
        passed_ = seen_ = 0;
        flushes_ = 0;
        for (size_t i = 0; i < slots_.size(); i++) {
            counts_[i].clear();
            flushed_[i].clear();
            none_[i] = 0;
        }
    }

    uint64_t passed() const
    {
        return passed_;
    }

    uint64_t seen() const
    {
        return seen_;
    }

    /* The docid of the last document seen. */
    Xapian::docid last_docid() const
    {
        return last_docid_;
    }

    /* Ends the next runs at the first document past n seen (0: never). */
    void stop_after(uint64_t n)
    {
        stop_after_ = n;
    }

    /* Slot i's counts, one entry per value: count descending, then value
     * ascending, into ordered (the values lent until reset() or the
     * ordinals are emptied). After flush(); may throw std::bad_alloc. */
    void ordered_counts(size_t i, std::vector<std::pair<const std::string *, uint32_t>> &ordered)
    {
        ordered.clear();
        std::vector<std::pair<uint32_t, uint32_t>> &flushed = flushed_[i];
        if (counts_[i].empty() && flushes_ <= 1) {
            ordered_by_rank(flushed, ordered);
            return;
        }
        if (flushes_ <= 1 && !flushed.empty() && slots_[i].packed_field > 0) {
            ordered_mixed(i, ordered);
            return;
        }
        /* Counted one by one too (no ordinals, or past a full table), or
         * flushed twice: a value may have several entries. Folded into the
         * map, which holds them in value order: a stable sort by count
         * leaves equal counts in it. */
        for (const auto &entry : flushed)
            counts_[i][ordinals_->part(entry.first)] += entry.second;
        flushed.clear();
        ordered.reserve(counts_[i].size());
        for (const auto &entry : counts_[i])
            ordered.emplace_back(&entry.first, entry.second);
        std::stable_sort(ordered.begin(), ordered.end(),
                         [](const std::pair<const std::string *, uint32_t> &left,
                            const std::pair<const std::string *, uint32_t> &right) {
                             return left.second > right.second;
                         });
    }

  private:
    using ordered_t = std::vector<std::pair<const std::string *, uint32_t>>;

    /* The borrowed tables' working lists in place of this spy's (n slots):
     * sized first, so that a throw leaves both sides as they were. */
    void take_lists(size_t n)
    {
        if (tables_.counted.size() < n)
            tables_.counted.resize(n);
        if (tables_.tested.size() < n)
            tables_.tested.resize(n);
        if (tables_.flushed.size() < n)
            tables_.flushed.resize(n);
        swap_lists();
    }

    void swap_lists() noexcept
    {
        pending_.swap(tables_.pending);
        touched_.swap(tables_.touched);
        counted_.swap(tables_.counted);
        tested_.swap(tables_.tested);
        flushed_.swap(tables_.flushed);
    }

    /* Each value once (one flush of distinct part ids): 8-byte entries
     * sorted, equal counts by the parts' ranks. */
    void ordered_by_rank(std::vector<std::pair<uint32_t, uint32_t>> &flushed, ordered_t &ordered)
    {
        const std::vector<uint32_t> &rank = ordinals_->ranks();
        std::sort(flushed.begin(), flushed.end(),
                  [&rank](const std::pair<uint32_t, uint32_t> &left,
                          const std::pair<uint32_t, uint32_t> &right) {
                      return left.second != right.second ? left.second > right.second
                                                         : rank[left.first] < rank[right.first];
                  });
        ordered.reserve(ordered.size() + flushed.size());
        for (const auto &entry : flushed)
            ordered.emplace_back(&ordinals_->part(entry.first), entry.second);
    }

    /* One flush by part id and some documents counted one by one (past a
     * full table: a hostile feed's long tags, docs/security.md). The few
     * one-by-one values the table knows join their flush entries, the
     * others are ordered apart (the map holds them in value order), and
     * the two lists are merged. Until session 16 every flushed value went
     * into the map instead: a node, a copy and ~15 string comparisons
     * each, ~40 M instructions for a feed's 30,000 tags. */
    void ordered_mixed(size_t i, ordered_t &ordered)
    {
        /* A copy: a second call orders the same counts again. */
        std::vector<std::pair<uint32_t, uint32_t>> flushed = flushed_[i];
        const size_t field = (size_t)slots_[i].packed_field - 1;
        /* The known values' counts go through the slot's tally table (zero
         * after flush(), and zero again below), not a hash map of the
         * flushed ids: ~7 M instructions for a feed's 26,000. Everything
         * that allocates is done before the first count, so that an
         * exception leaves the table zero. */
        std::vector<uint32_t> &tally = tables_.tallies[i];
        if (tally.size() < ordinals_->part_count())
            tally.resize(ordinals_->part_count(), 0);
        ordered_t unknown; /* in value order, as the map holds them */
        std::vector<uint32_t> joined; /* the known ones' ids */
        unknown.reserve(counts_[i].size());
        joined.reserve(counts_[i].size());
        flushed.reserve(flushed.size() + counts_[i].size());
        for (const auto &entry : counts_[i]) {
            uint32_t id = 0;
            if (ordinals_->find_part(field, entry.first, &id) && id < tally.size()) {
                tally[id] += entry.second; /* once: the map's values are distinct */
                joined.push_back(id);
            } else {
                unknown.emplace_back(&entry.first, entry.second);
            }
        }
        for (auto &entry : flushed) {
            entry.second += tally[entry.first];
            tally[entry.first] = 0;
        }
        for (uint32_t id : joined) {
            if (tally[id] != 0) /* counted one by one only */
                flushed.emplace_back(id, tally[id]);
            tally[id] = 0;
        }
        ordered_t known;
        ordered_by_rank(flushed, known);
        auto by_count = [](const std::pair<const std::string *, uint32_t> &left,
                           const std::pair<const std::string *, uint32_t> &right) {
            return left.second > right.second;
        };
        std::stable_sort(unknown.begin(), unknown.end(), by_count);
        ordered.reserve(known.size() + unknown.size());
        /* A value is in one list only: equal counts are ordered by value. */
        std::merge(known.begin(), known.end(), unknown.begin(), unknown.end(),
                   std::back_inserter(ordered),
                   [](const std::pair<const std::string *, uint32_t> &left,
                      const std::pair<const std::string *, uint32_t> &right) {
                       return left.second != right.second ? left.second > right.second
                                                          : *left.first < *right.first;
                   });
    }

  public:
    uint64_t none(size_t i) const
    {
        return none_[i];
    }

    size_t slot_count() const
    {
        return slots_.size();
    }

  private:
    /* The packed value of the document (one value read for every slot
     * that packs), split into its fields. */
    void read_packed(const MatchRef &match)
    {
        fields_.clear();
        for (const vind_xapian_count_slot_t &s : slots_) {
            if (s.packed_field <= 0)
                continue;
            split_fields(match.value(s.packed_slot));
            return;
        }
    }

    void split_fields(const std::string &packed)
    {
        fields_.clear();
        size_t start = 0;
        for (;;) {
            size_t end = packed.find('\x1e', start);
            fields_.emplace_back(packed, start,
                                 (end == std::string::npos ? packed.size() : end) - start);
            if (end == std::string::npos)
                break;
            start = end + 1;
        }
    }

    /* The multi-select rule over the parts_ of documents alike. */
    void tally(uint32_t documents)
    {
        seen_ += documents;
        tally_parts(documents);
    }

    /* A match counted by the ordinal of its packed value. Cost per match:
     * an array read and a counter once the reader has seen the document at
     * this revision (~20 instructions, against ~1,000 to read, split and
     * count its value); a value read and a hash look-up before. */
    void defer(const MatchRef &match)
    {
        const uint32_t ordinal = ordinals_->of(match, packed_slot_);
        if (ordinal == PackedOrdinals::FULL) {
            add_packed(match.value(packed_slot_), 1);
            return;
        }
        seen_++;
        if (ordinal >= pending_.size())
            pending_.resize(std::max<size_t>((size_t)ordinal + 1, 2 * pending_.size()), 0);
        if (pending_[ordinal]++ == 0)
            touched_.push_back(ordinal);
    }

    void tally_parts(uint32_t documents)
    {
        multi_select(
            documents, [this](size_t i) { return passes(i); },
            [this](size_t i, uint32_t n) { count(i, n); });
    }

    /* The multi-select rule: documents passing every filter count into
     * passed() and every slot; failing exactly one filter, into that slot
     * alone (unless exclusive). */
    template <class Passes, class Count>
    void multi_select(uint32_t documents, Passes passes_slot, Count count_slot)
    {
        size_t failed = 0, which = 0;
        for (size_t i = 0; i < slots_.size(); i++) {
            passes_[i] = !slots_[i].filtered || passes_slot(i);
            if (!passes_[i])
                failed++, which = i;
        }
        if (failed == 0) {
            passed_ += documents;
            for (size_t i = 0; i < slots_.size(); i++)
                count_slot(i, documents);
        } else if (failed == 1 && !exclusive_)
            count_slot(which, documents);
    }

    /* passes() over the part ids of ids_[i], each tested once per pass. */
    bool passes_ids(size_t i)
    {
        for (size_t k = 0; k < ids_[i].second; k++) {
            const uint32_t id = ids_[i].first[k];
            uint8_t &verdict = tables_.verdicts[i][id];
            if (verdict == 0) {
                const std::string &part = ordinals_->part(id);
                verdict = test_(data_, i, part.data(), part.size()) != 0 ? 1 : 2;
                tested_[i].push_back(id);
            }
            if (verdict == 1)
                return true;
        }
        return false;
    }

    /* count() over the part ids of ids_[i]: a counter per part, turned
     * into counts_ at the end of flush(). */
    void count_ids(size_t i, uint32_t documents)
    {
        if (ids_[i].second == 0)
            none_[i] += documents;
        for (size_t k = 0; k < ids_[i].second; k++) {
            const uint32_t id = ids_[i].first[k];
            if (tables_.tallies[i][id] == 0)
                counted_[i].push_back(id);
            tables_.tallies[i][id] += documents;
        }
    }

    const std::string &field(int i) const
    {
        static const std::string empty;
        return (size_t)i < fields_.size() ? fields_[(size_t)i] : empty;
    }

    bool passes(size_t i)
    {
        for (const std::string &part : parts_[i]) {
            auto found = cache_[i].find(part);
            if (found == cache_[i].end())
                found = cache_[i].emplace(part, test_(data_, i, part.data(), part.size()) != 0).first;
            if (found->second)
                return true;
        }
        return false;
    }

    void count(size_t i, uint32_t documents)
    {
        if (parts_[i].empty())
            none_[i] += documents;
        for (const std::string &part : parts_[i])
            counts_[i][part] += documents;
    }

    std::vector<vind_xapian_count_slot_t> slots_;
    bool exclusive_;
    vind_xapian_value_test_t test_;
    void *data_;
    std::vector<std::unordered_map<std::string, bool>> cache_;
    std::vector<std::map<std::string, uint32_t>> counts_; /* counted one by one (count()) */
    /* Counted by ordinal (flush()): a distinct value per entry of a flush.
     * Why not into counts_: a map node, a string copy and ~6 string
     * comparisons per value were ~420 instructions, ~24 M over the bench
     * requests (docs/searchd.md, "A match's cost, session 15"). */
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> flushed_; /* part id, count */
    unsigned flushes_ = 0; /* flush() calls that counted since reset() */
    std::vector<uint64_t> none_;
    uint64_t passed_ = 0, seen_ = 0, stop_after_ = 0;
    Xapian::docid last_docid_ = 0;
    std::vector<std::vector<std::string>> parts_; /* of the document at hand */
    std::vector<std::string> fields_;             /* its packed value's fields */
    std::vector<bool> passes_;
    Xapian::valueno packed_slot_ = Xapian::BAD_VALUENO; /* every slot a field of it */
    PackedOrdinals own_ordinals_, *ordinals_;
    std::vector<uint32_t> pending_; /* matches per ordinal, not yet counted */
    std::vector<uint32_t> touched_; /* the ordinals with pending matches */
    /* flush(), per slot: the parts of the value at hand, each part's filter
     * verdict (0 not tested, 1 passes, 2 fails) and count, and the parts
     * counted. */
    std::vector<std::pair<const uint32_t *, size_t>> ids_;
    PackedOrdinals::FlushTables tables_; /* the reader's, lent (borrowed_), or this spy's */
    bool borrowed_ = false;
    std::vector<std::vector<uint32_t>> counted_, tested_;
};

/* Keeps terms that start with include_prefix and whose first byte is not in exclude_initials. */
class PrefixDecider : public Xapian::ExpandDecider
{
  public:
    PrefixDecider(const char *include_prefix, const char *exclude_initials)
        : include_prefix_(include_prefix ? include_prefix : ""),
          exclude_initials_(exclude_initials ? exclude_initials : "")
    {
    }

    bool operator()(const std::string &term) const override
    {
        if (term.empty() || term.compare(0, include_prefix_.size(), include_prefix_) != 0)
            return false;
        return exclude_initials_.find(term[0]) == std::string::npos;
    }

  private:
    std::string include_prefix_;
    std::string exclude_initials_;
};

/*
 * Fault injection for tests: VIND_XAPIAN_FAIL_AFTER=N makes the Nth and later
 * writer calls of the process throw. The function-local statics are
 * initialised once, thread-safely (C++11).
 */
void fault_point()
{
    static const unsigned long fail_after = [] {
        const char *text = std::getenv("VIND_XAPIAN_FAIL_AFTER");
        return text != nullptr ? std::strtoul(text, nullptr, 10) : 0ul;
    }();
    static std::atomic<unsigned long> calls{0};
    if (fail_after == 0)
        return;
    if (++calls >= fail_after)
        throw Xapian::DatabaseError("injected fault (VIND_XAPIAN_FAIL_AFTER)");
}

bool path_is_missing(const char *path)
{
    struct stat info;
    return path != nullptr && stat(path, &info) != 0 && errno == ENOENT;
}

/* ---------------------------------------------------------------- parallel writers
 * A sharded index is written by a pool of threads (docs/scaling.md,
 * "Shards"): shard s belongs to worker s % K, and only that thread uses
 * the shard's WritableDatabase while writes are queued (Xapian objects are
 * not thread-safe; separate ones are independent). The caller's thread
 * queues the writes (a document, its text store metadata) and goes on with
 * the next document, so documents of different shards are added at once.
 * A read of a shard first waits until its queued writes are done (settle),
 * then reads in the caller's thread: every read sees every earlier write,
 * as without the pool. A write that fails is kept as the shard's failure;
 * the shard's later writes are dropped and the next call that queues on,
 * settles or commits the shard reports it (ShardFailure: the shard's path,
 * the write and Xapian's reason). Memory: at most POOL_QUEUE_LIMIT writes
 * wait per worker (a document each, or a piece of text), besides what
 * Xapian holds for the open batch, which is the same as with one writer.
 */
#define POOL_QUEUE_LIMIT 32u

struct ShardFailure {
    std::exception_ptr original;
    std::string what; /* "the document with term Q... in /db/shard-2" */
};

struct ShardOp {
    size_t shard;
    std::function<void()> work;
    std::string what; /* for a failure's message */
};

struct ShardPool {
    std::mutex lock; /* one for the pool: an op is a document or a text chunk, so it is taken
                        a few times a document, against ms of Xapian work */
    /* per worker: an op is queued in its empty queue, or stop (a wake-up
     * costs a futex call and a context switch; a document queues several
     * text-store writes, so a busy worker is not woken for each) */
    std::vector<std::unique_ptr<std::condition_variable>> wakes;
    std::condition_variable done; /* callers: an op finished */
    std::vector<std::deque<ShardOp>> queues; /* per worker */
    std::vector<std::thread> threads;
    std::vector<size_t> pending;              /* per shard: ops queued or running */
    std::vector<std::exception_ptr> failures; /* per shard: the first failure */
    std::vector<std::string> failed_what;
    std::vector<std::string> names; /* per shard: its path */
    bool stop = false;

    void run(size_t worker)
    {
        std::unique_lock<std::mutex> hold(lock);
        for (;;) {
            wakes[worker]->wait(hold, [&] { return !queues[worker].empty() || stop; });
            if (queues[worker].empty())
                return;
            ShardOp op = std::move(queues[worker].front());
            queues[worker].pop_front();
            const bool skip = failures[op.shard] != nullptr;
            hold.unlock();
            std::exception_ptr failed;
            if (!skip) {
                try {
                    op.work();
                } catch (...) {
                    failed = std::current_exception();
                }
            }
            op.work = nullptr; /* the document goes here, in the shard's thread */
            hold.lock();
            if (failed && !failures[op.shard]) {
                failures[op.shard] = failed;
                failed_what[op.shard] = op.what + " in " + names[op.shard];
            }
            pending[op.shard]--;
            done.notify_all();
        }
    }

    /* Throws the shard's failure (once: the caller cancels or ends the run). */
    void raise(size_t shard)
    {
        if (!failures[shard])
            return;
        ShardFailure failure{failures[shard], failed_what[shard]};
        failures[shard] = nullptr;
        throw failure;
    }

    void queue(size_t shard, std::function<void()> work, std::string what)
    {
        std::unique_lock<std::mutex> hold(lock);
        const size_t worker = shard % queues.size();
        std::deque<ShardOp> &q = queues[worker];
        done.wait(hold, [&] { return q.size() < POOL_QUEUE_LIMIT || failures[shard]; });
        raise(shard);
        const bool idle = q.empty(); /* the worker waits only on an empty queue */
        q.push_back(ShardOp{shard, std::move(work), std::move(what)});
        pending[shard]++;
        if (idle)
            wakes[worker]->notify_one();
    }

    /* Waits until shard's queued writes are done; then the caller may use it. */
    void settle(size_t shard)
    {
        std::unique_lock<std::mutex> hold(lock);
        done.wait(hold, [&] { return pending[shard] == 0; });
        raise(shard);
    }

    /* forget: a cancel drops every failure with the writes it cancels */
    void settle_all(bool forget = false)
    {
        std::unique_lock<std::mutex> hold(lock);
        done.wait(hold, [&] {
            return std::all_of(pending.begin(), pending.end(), [](size_t n) { return n == 0; });
        });
        if (forget)
            failures.assign(failures.size(), nullptr);
        for (size_t s = 0; s < failures.size(); s++)
            raise(s);
    }

    /* Ends the threads; queued writes are dropped (the transaction they
     * belonged to is being aborted). */
    void end()
    {
        {
            std::lock_guard<std::mutex> hold(lock);
            stop = true;
            for (std::deque<ShardOp> &q : queues) {
                for (const ShardOp &op : q)
                    pending[op.shard]--;
                q.clear();
            }
            for (std::unique_ptr<std::condition_variable> &wake : wakes)
                wake->notify_one();
        }
        for (std::thread &thread : threads)
            thread.join();
        threads.clear();
    }
};

/* The number of writer threads for n shards: VIND_SHARD_WRITERS
 * (environment; 0: none, every write in the caller's thread), else one per
 * core beyond two, at most one per shard. Why not one per core: vind-index
 * already keeps two cores busy (its analysis thread and the thread that
 * orders the documents), and on 2 cores the writer threads cost 10-15%
 * more CPU and made a 10,000-document load slower, not faster
 * (bench/scale-results.md). */
size_t pool_workers(size_t n)
{
    const char *setting = std::getenv("VIND_SHARD_WRITERS");
    const size_t cores = std::thread::hardware_concurrency();
    size_t k = cores > 2 ? cores - 2 : 0;
    if (setting != nullptr && *setting != '\0')
        k = static_cast<size_t>(std::strtoul(setting, nullptr, 10));
    return n <= 1 ? 0 : std::min(k, n);
}

/* Starts the writer threads of a sharded writer (none for one database). */
void start_pool(vind_xapian_writer *writer)
{
    const size_t n = writer->shards.size(), k = pool_workers(n);
    if (k == 0)
        return;
    std::shared_ptr<ShardPool> pool = std::make_shared<ShardPool>();
    pool->queues.resize(k);
    for (size_t w = 0; w < k; w++)
        pool->wakes.emplace_back(new std::condition_variable);
    pool->pending.assign(n, 0);
    pool->failures.assign(n, nullptr);
    pool->failed_what.assign(n, std::string());
    for (size_t s = 0; s < n; s++)
        pool->names.push_back(writer->path + "/shard-" + std::to_string(s));
    try {
        for (size_t w = 0; w < k; w++)
            pool->threads.emplace_back([p = pool.get(), w] { p->run(w); });
    } catch (...) {
        pool->end();
        throw;
    }
    writer->pool = pool;
}

/* Waits for the writes queued on shard (all shards: SIZE_MAX) before a read
 * or a write in the caller's thread. Cost without a pool: one test. */
inline void settle(const std::shared_ptr<ShardPool> &pool, size_t shard = SIZE_MAX)
{
    if (!pool)
        return;
    if (shard == SIZE_MAX)
        pool->settle_all();
    else
        pool->settle(shard);
}

vind_status_t report_xapian(char **errmsg, vind_status_t status, const char *action,
                            const char *object, const Xapian::Error &error)
{
    /* get_description() allocates; should that fail, get_msg() does not. */
    std::string description;
    const char *text = error.get_msg().c_str();
    try {
        description = error.get_description();
        text = description.c_str();
    } catch (...) {
    }
    return vind_error(errmsg, status, "%s %s: %s", action, object ? object : "", text);
}

/*
 * Turns the exception being handled into a status and message. Called only
 * from a catch (...) block. missing_path: a path whose absence turns an
 * opening error into VIND_NOT_FOUND (NULL: none).
 */
vind_status_t translate_exception(char **errmsg, const char *action, const char *object,
                                  const char *missing_path = nullptr)
{
    try {
        throw;
    } catch (const ShardFailure &failure) {
        /* a queued write failed: report it, not the call that found it */
        try {
            std::rethrow_exception(failure.original);
        } catch (...) {
            return translate_exception(errmsg, "cannot store", failure.what.c_str(), missing_path);
        }
    } catch (const Xapian::DatabaseLockError &error) {
        return report_xapian(errmsg, VIND_LOCKED, action, object, error);
    } catch (const Xapian::DatabaseCorruptError &error) {
        return report_xapian(errmsg, VIND_INDEX_CORRUPT, action, object, error);
    } catch (const Xapian::DatabaseModifiedError &error) {
        return report_xapian(errmsg, VIND_INDEX_CHANGED, action, object, error);
    } catch (const Xapian::DatabaseNotFoundError &error) {
        return report_xapian(errmsg, VIND_NOT_FOUND, action, object, error);
    } catch (const Xapian::DatabaseOpeningError &error) {
        vind_status_t status = path_is_missing(missing_path) ? VIND_NOT_FOUND : VIND_XAPIAN;
        return report_xapian(errmsg, status, action, object, error);
    } catch (const Xapian::DocNotFoundError &error) {
        return report_xapian(errmsg, VIND_NOT_FOUND, action, object, error);
    } catch (const Xapian::NetworkError &error) {
        /* a remote shard down, refusing, or past VIND_REMOTE_TIMEOUT */
        return report_xapian(errmsg, VIND_UNAVAILABLE, action, object, error);
    } catch (const Xapian::Error &error) {
        return report_xapian(errmsg, VIND_XAPIAN, action, object, error);
    } catch (const std::bad_alloc &) {
        return vind_error(errmsg, VIND_NOMEM, "%s %s: out of memory", action, object ? object : "");
    } catch (const std::exception &error) {
        return vind_error(errmsg, VIND_INTERNAL, "%s %s: unexpected C++ exception: %s", action,
                          object ? object : "", error.what());
    } catch (...) {
        return vind_error(errmsg, VIND_INTERNAL, "%s %s: unknown C++ exception", action,
                          object ? object : "");
    }
}

vind_status_t invalid(char **errmsg, const char *function, const char *what)
{
    return vind_error(errmsg, VIND_INVALID_ARGUMENT, "%s: %s", function, what);
}

/*
 * The C boundary, in one place: runs work (a lambda returning a
 * vind_status_t) and turns whatever it throws into a status and the message
 * "<action> <object>: ..." (translate_exception), so no C++ exception
 * reaches a C caller. A template rather than a macro pair: the body stays
 * an ordinary block (its own returns and scope), the compiler checks that
 * every path returns a status, and no try can be left without its catch.
 * missing_path: as translate_exception's. Cost: the lambda is inlined; one
 * try block, as when each function wrote its own.
 */
template <typename Work>
vind_status_t catch_at_boundary(char **errmsg, const char *action, const char *object,
                                Work &&work, const char *missing_path = nullptr)
{
    try {
        return work();
    } catch (...) {
        return translate_exception(errmsg, action, object, missing_path);
    }
}

/* A writer or administration call at the C boundary: fault_point() first,
 * so VIND_XAPIAN_FAIL_AFTER reaches every call guarded here (the tests'
 * injected failures count these calls, and only these). */
template <typename Work>
vind_status_t guard(char **errmsg, const char *action, const char *object, Work &&work,
                    const char *missing_path = nullptr)
{
    return catch_at_boundary(
        errmsg, action, object,
        [&] {
            fault_point();
            return work();
        },
        missing_path);
}

/* A malloc'd, NUL-terminated copy of text (which may contain NUL bytes), or NULL. */
char *copy_bytes(const std::string &text)
{
    char *copy = static_cast<char *>(std::malloc(text.size() + 1));
    if (copy == nullptr)
        return nullptr;
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    return copy;
}

struct TermItem {
    std::string term;
    uint32_t wdf;
    uint32_t frequency;
    double weight;
};

/*
 * Copies sources into a calloc'd C list (the header's { count, items } lists:
 * terms, values, facet values), one fill(item, source) each; fill returns
 * false when out of memory, having allocated nothing. NULL when out of
 * memory, with what was copied freed by free_list.
 */
template <typename List, typename Source, typename Fill>
List *copy_list(const std::vector<Source> &sources, void (*free_list)(List *), Fill fill)
{
    using Item = typename std::remove_pointer<decltype(List::items)>::type;
    List *list = static_cast<List *>(std::calloc(1, sizeof(List)));
    if (list == nullptr || sources.empty())
        return list;
    list->items = static_cast<Item *>(std::calloc(sources.size(), sizeof(Item)));
    if (list->items == nullptr) {
        std::free(list);
        return nullptr;
    }
    for (const Source &source : sources) {
        if (!fill(&list->items[list->count], source)) {
            free_list(list);
            return nullptr;
        }
        list->count++;
    }
    return list;
}

/* Moves items into a malloc'd vind_xapian_terms_t; NULL when out of memory. */
vind_xapian_terms_t *make_terms(const std::vector<TermItem> &items)
{
    return copy_list(items, vind_xapian_terms_free,
                     [](vind_xapian_term_t *out, const TermItem &item) {
                         out->term = copy_bytes(item.term);
                         out->wdf = item.wdf;
                         out->frequency = item.frequency;
                         out->weight = item.weight;
                         return out->term != nullptr;
                     });
}

/* Hands found to *out as a malloc'd C list, or reports VIND_NOMEM
 * ("cannot copy <what>"). */
vind_status_t hand_out_terms(const std::vector<TermItem> &found, vind_xapian_terms_t **out,
                             char **errmsg, const char *what = "terms")
{
    *out = make_terms(found);
    if (*out == nullptr)
        return vind_error(errmsg, VIND_NOMEM, "cannot copy %s: out of memory", what);
    return VIND_OK;
}

/* Hands a malloc'd, NUL-terminated copy of size bytes at data to *out /
 * *length, or reports VIND_NOMEM. */
vind_status_t hand_out(const char *data, size_t size, char **out, size_t *length, char **errmsg,
                       const char *what)
{
    *out = static_cast<char *>(std::malloc(size + 1));
    if (*out == nullptr)
        return vind_error(errmsg, VIND_NOMEM, "cannot copy %s: out of memory", what);
    std::memcpy(*out, data, size);
    (*out)[size] = '\0';
    if (length != nullptr)
        *length = size;
    return VIND_OK;
}

vind_status_t hand_out(const std::string &text, char **out, size_t *length, char **errmsg,
                       const char *what)
{
    return hand_out(text.data(), text.size(), out, length, errmsg, what);
}

vind_status_t hand_out(Lent lent, char **out, size_t *length, char **errmsg, const char *what)
{
    return hand_out(lent.data, lent.size, out, length, errmsg, what);
}

/* What read() gives at the reader's revision, lent until the reader's
 * next read: from its cache when it keeps one (then the one copy of a hit
 * is the caller's), else from reader->lent. */
template <class Read>
Lent read_cached(vind_xapian_reader *reader, const CacheKey &key, Read read)
{
    Lent lent;
    if (reader->cacheable && reader->cache.find(key, &lent))
        return lent;
    reader->lent = read();
    if (reader->cacheable)
        reader->cache.put(key, reader->lent.data(), reader->lent.size());
    return {reader->lent.data(), reader->lent.size()};
}

/* A cache key's bytes, built in place for the usual short key (a heap
 * string only past 120 bytes: a long term's positions). */
class KeyBytes {
  public:
    KeyBytes &add(const void *bytes, size_t size)
    {
        if (heap_.empty() && size_ + size <= sizeof inline_) {
            std::memcpy(inline_ + size_, bytes, size);
        } else {
            if (heap_.empty())
                heap_.assign(inline_, size_);
            heap_.append(static_cast<const char *>(bytes), size);
        }
        size_ += size;
        return *this;
    }

    template <class Number> KeyBytes &number(Number value) { return add(&value, sizeof value); }

    CacheKey key(char kind) const
    {
        return {kind, heap_.empty() ? inline_ : heap_.data(), size_};
    }

  private:
    char inline_[120];
    size_t size_ = 0;
    std::string heap_;
};

/* Starts our always-open transaction again after a commit or cancel (or a failed one). */
void ensure_transaction(vind_xapian_writer *writer)
{
    if (writer->in_transaction)
        return;
    for (Xapian::WritableDatabase &shard : writer->shards) {
        try {
            shard.begin_transaction(true);
        } catch (const Xapian::InvalidOperationError &) {
            /* this shard's began in an earlier try whose next shard failed */
        }
    }
    writer->in_transaction = true;
}

void each_shard_parallel_commit(vind_xapian_writer *writer);

/* Commits what the open transaction holds and opens the next one. With
 * shards, each commits its own part, in parallel: each shard's commit is
 * atomic, the set of them is not (docs/scaling.md, "Shards"). */
void commit_and_restart(vind_xapian_writer *writer)
{
    ensure_transaction(writer);
    writer->in_transaction = false;
    if (writer->pool) {
        /* each shard's thread commits after its queued writes (the first
         * shard's after the spelling words): no shard waits for another's
         * documents. A shard whose write failed does not commit (its
         * failure is raised); the others do, as each_shard_parallel. */
        std::exception_ptr first;
        for (size_t s = 0; s < writer->shards.size(); s++) {
            try {
                writer->pool->queue(s, [db = &writer->shards[s]] { db->commit_transaction(); },
                                    "the commit");
            } catch (...) {
                first = first ? first : std::current_exception();
            }
        }
        try {
            settle(writer->pool); /* the others commit even so */
        } catch (...) {
            first = first ? first : std::current_exception();
        }
        if (first)
            std::rethrow_exception(first);
    } else if (writer->shards.size() <= 1) {
        writer->database.commit_transaction();
    } else {
        each_shard_parallel_commit(writer);
    }
    ensure_transaction(writer);
}

/* The shared read helpers for a writer's and a reader's database. */
vind_status_t docid_for_term(const Xapian::Database &database, const char *path,
                             const char *function, const char *unique_term, uint32_t *docid,
                             char **errmsg)
{
    Xapian::PostingIterator posting = database.postlist_begin(unique_term);
    if (posting == database.postlist_end(unique_term))
        return vind_error(errmsg, VIND_NOT_FOUND, "%s: no document with term %s in %s", function,
                          unique_term, path);
    *docid = *posting;
    return VIND_OK;
}

vind_status_t get_metadata(const Xapian::Database &database, const char *path, const char *key,
                           char **value, size_t *length, char **errmsg)
{
    const std::string text = database.get_metadata(key);
    if (text.empty())
        return vind_error(errmsg, VIND_NOT_FOUND, "no metadata %s in Xapian database %s", key,
                          path);
    return hand_out(text, value, length, errmsg, "metadata");
}

Xapian::Query::op to_xapian_op(vind_xapian_op_t op, bool *known)
{
    *known = true;
    switch (op) {
    case VIND_XAPIAN_OP_AND:
        return Xapian::Query::OP_AND;
    case VIND_XAPIAN_OP_OR:
        return Xapian::Query::OP_OR;
    case VIND_XAPIAN_OP_AND_NOT:
        return Xapian::Query::OP_AND_NOT;
    case VIND_XAPIAN_OP_AND_MAYBE:
        return Xapian::Query::OP_AND_MAYBE;
    case VIND_XAPIAN_OP_FILTER:
        return Xapian::Query::OP_FILTER;
    case VIND_XAPIAN_OP_SYNONYM:
        return Xapian::Query::OP_SYNONYM;
    case VIND_XAPIAN_OP_MAX:
        return Xapian::Query::OP_MAX;
    case VIND_XAPIAN_OP_ELITE_SET:
        return Xapian::Query::OP_ELITE_SET;
    }
    *known = false;
    return Xapian::Query::OP_AND;
}

void free_children(vind_xapian_query_t *const *children, size_t count)
{
    if (children == nullptr)
        return;
    for (size_t i = 0; i < count; i++)
        delete children[i];
}

/* Combines children with op and parameter; consumes them whatever happens. */
vind_xapian_query_t *combine(Xapian::Query::op op, vind_xapian_query_t *const *children,
                             size_t count, Xapian::termcount parameter)
{
    if (children == nullptr)
        return count == 0 ? new (std::nothrow) vind_xapian_query{} : nullptr;
    vind_xapian_query_t *result = nullptr;
    try {
        std::vector<Xapian::Query> subqueries;
        subqueries.reserve(count);
        bool complete = true;
        for (size_t i = 0; i < count && complete; i++) {
            if (children[i] == nullptr)
                complete = false;
            else
                subqueries.push_back(children[i]->query);
        }
        if (complete)
            result = new vind_xapian_query{
                Xapian::Query(op, subqueries.begin(), subqueries.end(), parameter)};
    } catch (...) {
        result = nullptr;
    }
    free_children(children, count);
    return result;
}

/* ---------------------------------------------------------------- shards
 * A sharded database is a Xapian stub (docs/scaling.md, "Shards"): a folder
 * with a file XAPIANDB listing one database a line ("auto shard-0", or
 * "remote HOST:PORT" for one served by xapian-tcpsrv), or such a file
 * itself. Xapian numbers the documents of N shards interleaved: local docid
 * l of shard s is global docid (l - 1) * N + s + 1. */

/* The stub file of path: path/XAPIANDB, or path itself when it is a
 * regular file; "" when path is no stub (a glass folder, or nothing). */
std::string stub_file(const std::string &path)
{
    struct stat info;
    const std::string inside = path + "/XAPIANDB";
    if (stat(inside.c_str(), &info) == 0 && S_ISREG(info.st_mode))
        return inside;
    if (stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode))
        return path;
    return "";
}

enum class StubKind { LOCAL, REMOTE, SPELLING };

struct StubLine {
    StubKind kind;
    std::string target; /* a path (made absolute from the stub's folder) or HOST:PORT */
};

std::string relative_to(const std::string &folder, const std::string &path)
{
    return path.empty() || path[0] == '/' ? path : folder + "/" + path;
}

/* Reads a stub: Xapian's lines ("auto PATH", "glass PATH", "remote
 * [HOST]:PORT", "remote PROGRAM ARGS"; '#' starts a comment) plus vind's
 * comment "#vind-spelling PATH" (the local copy of the spelling table when
 * the first shard is remote). Anything else (chert, inmemory, a nested
 * stub) throws DatabaseOpeningError: vind serves glass shards only. */
std::vector<StubLine> read_stub(const std::string &file)
{
    std::ifstream in(file);
    if (!in)
        throw Xapian::DatabaseOpeningError("cannot read the stub file " + file);
    const std::string folder = file.substr(0, file.rfind('/') == std::string::npos
                                                   ? 0
                                                   : file.rfind('/'));
    const std::string base = folder.empty() ? "." : folder;
    std::vector<StubLine> lines;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind, target;
        words >> kind;
        std::getline(words >> std::ws, target);
        while (!target.empty() && (target.back() == ' ' || target.back() == '\r'))
            target.pop_back();
        if (kind == "#vind-spelling" && !target.empty())
            lines.push_back({StubKind::SPELLING, relative_to(base, target)});
        else if (kind.empty() || kind[0] == '#')
            continue;
        else if ((kind == "auto" || kind == "glass") && !target.empty())
            lines.push_back({StubKind::LOCAL, relative_to(base, target)});
        else if (kind == "remote" && !target.empty())
            lines.push_back({StubKind::REMOTE, target});
        else
            throw Xapian::DatabaseOpeningError("the stub " + file + " has a line vind does not serve: " +
                                               line);
    }
    return lines;
}

/* The remote timeout: VIND_REMOTE_TIMEOUT seconds (default 10), both for
 * connecting and for each answer, so a shard that hangs fails a search
 * with a NetworkError instead of holding it. */
unsigned remote_timeout_ms()
{
    const char *text = std::getenv("VIND_REMOTE_TIMEOUT");
    double seconds = text != nullptr && *text ? std::strtod(text, nullptr) : 10.0;
    if (!(seconds > 0) || seconds > 3600)
        seconds = 10.0;
    return static_cast<unsigned>(seconds * 1000);
}

/* A shard served by xapian-tcpsrv ("[HOST]:PORT", host 127.0.0.1 when
 * left out) or by a program speaking the remote protocol on stdin/stdout
 * ("PROGRAM ARGS", as xapian-progsrv). */
Xapian::Database open_remote(const std::string &target)
{
    const unsigned timeout = remote_timeout_ms();
    const size_t colon = target.rfind(':');
    if (colon != std::string::npos && target.find(' ') == std::string::npos) {
        std::string host = target.substr(0, colon);
        const unsigned long port = std::strtoul(target.c_str() + colon + 1, nullptr, 10);
        if (port == 0 || port > 65535)
            throw Xapian::DatabaseOpeningError("bad remote shard " + target);
        return Xapian::Remote::open(host.empty() ? "127.0.0.1" : host, port, timeout, timeout);
    }
    const size_t space = target.find(' ');
    return Xapian::Remote::open(target.substr(0, space),
                                space == std::string::npos ? "" : target.substr(space + 1),
                                timeout);
}

/* Each shard knows its place: metadata "vind:shard" = "<s> of <n> <set>",
 * written when the shards are made (<set>: random, the same in every shard
 * of one index). A stub that lists a shard twice, in another order, too
 * few of them or a shard of another index is refused by every reader and
 * writer: Xapian served each document of a shard listed twice twice and
 * none of the one left out (session 10's probe), and a writer would route
 * documents to other shards than a later run looks in. Shards made before
 * the key, and a replica or other database served as a shard, have none
 * and are taken as listed. One metadata read a shard, at open. */
const char SHARD_PLACE_KEY[] = "vind:shard";

std::string shard_place(unsigned s, unsigned n, const std::string &set)
{
    return std::to_string(s) + " of " + std::to_string(n) + " " + set;
}

template <typename Shards>
void check_shard_places(const Shards &shards, const std::vector<std::string> &targets,
                        const std::string &file)
{
    std::string set;
    for (size_t s = 0; s < shards.size(); s++) {
        const std::string place = shards[s].get_metadata(SHARD_PLACE_KEY);
        if (place.empty())
            continue;
        std::istringstream words(place);
        unsigned long at = 0, of = 0;
        std::string word, id;
        words >> at >> word >> of >> id;
        if (set.empty())
            set = id;
        if (at == s && of == shards.size() && id == set)
            continue;
        throw Xapian::DatabaseOpeningError(
            "the stub " + file + " lists " + targets[s] + " as shard " + std::to_string(s) +
            " of " + std::to_string(shards.size()) + ", but it is shard " + std::to_string(at) +
            " of " + std::to_string(of) + (id == set ? "" : " of another index") +
            ": a stub lists each shard of one index once, in order (docs/scaling.md)");
    }
}

/* Opens the shards a stub lists into reader (replacing what it had). */
void open_stub(vind_xapian_reader *reader, const std::string &file)
{
    std::vector<StubLine> lines = read_stub(file);
    reader->database = Xapian::Database();
    reader->shards.clear();
    reader->shard_remote.clear();
    reader->remote = false;
    reader->has_spelling = false;
    Xapian::Database copy;
    bool has_copy = false;
    std::vector<std::string> targets;
    for (const StubLine &line : lines) {
        if (line.kind == StubKind::SPELLING) {
            copy = Xapian::Database(line.target, Xapian::DB_BACKEND_GLASS);
            has_copy = true;
            continue;
        }
        bool remote = line.kind == StubKind::REMOTE;
        Xapian::Database shard =
            remote ? open_remote(line.target) : Xapian::Database(line.target, Xapian::DB_BACKEND_GLASS);
        reader->shards.push_back(shard);
        targets.push_back(line.target);
        reader->shard_remote.push_back(remote);
        reader->database.add_database(shard);
        reader->remote = reader->remote || remote;
    }
    if (reader->shards.empty())
        throw Xapian::DatabaseOpeningError("the stub " + file + " lists no database");
    check_shard_places(reader->shards, targets, file);
    if (!reader->shard_remote[0]) {
        reader->spelling = reader->shards[0];
        reader->has_spelling = true;
    } else if (has_copy) {
        reader->spelling = copy;
        reader->has_spelling = true;
    }
}

/* The shard (0-based) and local docid of global docid of n shards. */
size_t shard_of_docid(Xapian::docid global, size_t n, Xapian::docid *local)
{
    *local = (global - 1) / n + 1;
    return (global - 1) % n;
}

Xapian::docid global_docid(Xapian::docid local, size_t shard, size_t n)
{
    return (local - 1) * n + shard + 1;
}

/* Waits for the writes queued on docid's shard before a reader of a
 * writer (vind_xapian_writer_reader) reads the document. */
void settle_document(const vind_xapian_reader *reader, Xapian::docid docid)
{
    if (!reader->pool)
        return;
    Xapian::docid local = 0;
    settle(reader->pool, shard_of_docid(docid, reader->shards.size(), &local));
}

/* The shard of a document's unique term (its URL): FNV-1a 64 of its bytes,
 * mixed by MurmurHash3's 64-bit finaliser, modulo n. Stable across runs and
 * machines, so an update or a deletion finds the document where the first
 * run put it. Why the finaliser: the low k bits of an FNV hash depend only
 * on the low k bits of the bytes, so modulo 4 URLs differing in other bits
 * would all land in one shard. */
size_t shard_of_term(const std::string &term, size_t n)
{
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : term) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdull;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ull;
    hash ^= hash >> 33;
    return static_cast<size_t>(hash % n);
}

/* Whether key is a document's metadata ("vind:text:<docid>:...", the text
 * store): *docid its docid, *rest what follows the docid. */
bool doc_key(const std::string &key, Xapian::docid *docid, std::string *rest)
{
    static const std::string prefix = VIND_XAPIAN_DOC_KEY_PREFIX;
    if (key.compare(0, prefix.size(), prefix) != 0)
        return false;
    size_t at = prefix.size();
    uint64_t value = 0;
    while (at < key.size() && key[at] >= '0' && key[at] <= '9' && value <= 0xffffffffull)
        value = value * 10 + static_cast<unsigned>(key[at++] - '0');
    if (at == prefix.size() || at >= key.size() || key[at] != ':' || value == 0 ||
        value > 0xffffffffull)
        return false;
    *docid = static_cast<Xapian::docid>(value);
    *rest = key.substr(at);
    return true;
}

/* Where a metadata key of a database of n shards lives: a document's key
 * in its shard under its local docid (*routed; *document set), any other
 * in the first shard (returns 0, *routed = key, *document false). */
size_t route_key(const std::string &key, size_t n, std::string *routed, bool *document = nullptr)
{
    Xapian::docid global = 0, local = 0;
    std::string rest;
    if (document != nullptr)
        *document = false;
    if (n <= 1 || !doc_key(key, &global, &rest)) {
        *routed = key;
        return 0;
    }
    if (document != nullptr)
        *document = true;
    size_t shard = shard_of_docid(global, n, &local);
    *routed = VIND_XAPIAN_DOC_KEY_PREFIX + std::to_string(local) + rest;
    return shard;
}

/* Runs work(shard) for every shard of writer, the others in threads of
 * their own (a commit writes each shard's tables: N shards flush in
 * parallel), and rethrows the first failure after all have finished. */
template <typename Work> void each_shard_parallel(vind_xapian_writer *writer, Work work)
{
    const size_t n = writer->shards.size();
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    try {
        for (size_t s = 1; s < n; s++)
            threads.emplace_back([&, s] {
                try {
                    work(writer->shards[s]);
                } catch (...) {
                    errors[s] = std::current_exception();
                }
            });
    } catch (...) {
        errors[0] = std::current_exception(); /* no thread: the rest still joins */
    }
    if (!errors[0]) {
        try {
            work(writer->shards[0]);
        } catch (...) {
            errors[0] = std::current_exception();
        }
    }
    for (std::thread &thread : threads)
        thread.join();
    for (const std::exception_ptr &error : errors)
        if (error)
            std::rethrow_exception(error);
}

/* The shard a document goes to: the one of its unique term (the first term
 * starting with Q), shard 0 when it has none. */
size_t shard_of_document(const Xapian::Document &document, size_t n)
{
    if (n <= 1)
        return 0;
    Xapian::TermIterator it = document.termlist_begin();
    it.skip_to("Q");
    if (it != document.termlist_end() && !(*it).empty() && (*it)[0] == 'Q')
        return shard_of_term(*it, n);
    return 0;
}

void each_shard_parallel_commit(vind_xapian_writer *writer)
{
    each_shard_parallel(writer, [](Xapian::WritableDatabase &shard) { shard.commit_transaction(); });
}

/* The sum of the local shards' revisions: grows with every commit of any
 * of them (Xapian's get_revision wants exactly one database; a remote
 * shard does not say: a reader with one reports revision 0, unknown). */
uint64_t revision_sum(const vind_xapian_reader *reader)
{
    uint64_t sum = 0;
    for (size_t s = 0; s < reader->shards.size(); s++)
        if (!reader->shard_remote[s])
            sum += reader->shards[s].get_revision();
    return sum;
}

/* Opens the shards a stub lists for writing (local ones only). */
void open_writable_stub(vind_xapian_writer *writer, const std::string &file)
{
    std::vector<std::string> targets;
    for (const StubLine &line : read_stub(file)) {
        if (line.kind == StubKind::SPELLING)
            continue;
        if (line.kind == StubKind::REMOTE)
            throw Xapian::DatabaseOpeningError("the stub " + file + " lists a remote shard (" +
                                               line.target + "): vind-index writes local shards");
        writer->shards.emplace_back(line.target, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
        targets.push_back(line.target);
        writer->combined.add_database(writer->shards.back());
    }
    if (writer->shards.empty())
        throw Xapian::DatabaseOpeningError("the stub " + file + " lists no database");
    check_shard_places(writer->shards, targets, file);
    writer->database = writer->shards[0];
}

void write_stub(const std::string &path, unsigned n);

/* Creates a sharded database of n shards in folder path (absent or empty):
 * path/shard-0 .. path/shard-<n-1>, then path/XAPIANDB listing them
 * (write_stub). */
void create_shards(const std::string &path, unsigned n)
{
    if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
        throw Xapian::DatabaseCreateError("cannot create the folder " + path + ": " +
                                          std::strerror(errno));
    /* The set id of shard_place: 64 random bits. */
    std::random_device random;
    char set[17];
    snprintf(set, sizeof set, "%08x%08x", static_cast<unsigned>(random()),
             static_cast<unsigned>(random()));
    for (unsigned s = 0; s < n; s++) {
        Xapian::WritableDatabase shard(path + "/shard-" + std::to_string(s),
                                       Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        shard.set_metadata(SHARD_PLACE_KEY, shard_place(s, n, set));
        shard.commit();
        shard.close();
    }
    write_stub(path, n);
}

/* Writes the stub path/XAPIANDB listing path/shard-0 .. shard-<n-1>, to a
 * temporary file renamed into place, so a reader finds a whole stub or none. */
void write_stub(const std::string &path, unsigned n)
{
    std::string text = "# vind: " + std::to_string(n) +
                       " shards, a document in the shard of the hash of its URL term "
                       "(docs/scaling.md)\n";
    for (unsigned s = 0; s < n; s++)
        text += "auto shard-" + std::to_string(s) + "\n";
    const std::string stub = path + "/XAPIANDB", temporary = stub + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        out.flush();
        if (!out)
            throw Xapian::DatabaseCreateError("cannot write the stub " + temporary);
    }
    if (rename(temporary.c_str(), stub.c_str()) != 0)
        throw Xapian::DatabaseCreateError("cannot rename the stub to " + stub + ": " +
                                          std::strerror(errno));
}

/* Reopens a sharded reader; a remote shard whose connection broke (its
 * server restarted) is connected again from the stub. */
vind_status_t reopen_shards(vind_xapian_reader *reader, int *changed)
{
    try {
        const uint64_t before = revision_sum(reader);
        /* A remote database's reopen() says whether its server's revision moved. */
        const bool maybe = reader->database.reopen();
        if (changed != nullptr)
            *changed = reader->remote ? (maybe ? 1 : 0) : (revision_sum(reader) != before);
        return VIND_OK;
    } catch (const Xapian::NetworkError &) {
        /* below: the connections are opened anew */
    }
    vind_xapian_reader fresh;
    fresh.path = reader->path;
    open_stub(&fresh, stub_file(reader->path));
    reader->database = fresh.database;
    reader->shards = fresh.shards;
    reader->shard_remote = fresh.shard_remote;
    reader->remote = fresh.remote;
    reader->spelling = fresh.spelling;
    reader->has_spelling = fresh.has_spelling;
    if (changed != nullptr)
        *changed = 1;
    return VIND_OK;
}

} // namespace

struct vind_xapian_enquire {
    vind_xapian_reader *reader;
    Xapian::Enquire enquire;
    /* Our own deep copy of the query (see vind_xapian_enquire_set_query). */
    Xapian::Query query;
    std::unique_ptr<CountSpy> counter; /* vind_xapian_enquire_count_slots */
    bool collapsing = false;           /* a collapse key is set */
    std::unique_ptr<MatchCounter> matched; /* counts the matches while collapsing */
    /* Over remote shards Xapian runs only the spies xapian-tcpsrv knows:
     * the counts above come from stock ValueCountMatchSpy objects over the
     * collapse key (key_slot) and the packed facets (packed_slot), made
     * anew for each run (docs/scaling.md, "Facets over stock spies"). */
    Xapian::valueno key_slot = Xapian::BAD_VALUENO;
    Xapian::valueno packed_slot = Xapian::BAD_VALUENO;
    std::unique_ptr<Xapian::ValueCountMatchSpy> stock_keys, stock_facets;
    uint64_t stopped_at = 0; /* the last run's spy ended it: matches seen + 1, else 0 */
    uint64_t stopped_estimate = 0; /* then its estimate of the matches (0: Xapian's) */
    uint64_t last_lower = 0, last_upper = 0; /* the last run's bounds (vind_xapian_enquire_bounds) */
    /* Collapsing after the run (vind_xapian_enquire_run): Xapian's collapse
     * key stays unset while this holds, collapse_slot is the key's slot. */
    bool collapse_after = false;
    Xapian::valueno collapse_slot = Xapian::BAD_VALUENO;
    /* What decides whether a run may order its matches itself
     * (ranks_itself): the pages' percents wanted, the order, a cutoff. */
    bool percents = true;
    bool by_relevance = true;
    bool docids_ascending = true;
    bool cut = false;
};

/* ---------------------------------------------------------------- lists */

extern "C" void vind_xapian_terms_free(vind_xapian_terms_t *terms)
{
    if (terms == nullptr)
        return;
    for (size_t i = 0; i < terms->count; i++)
        std::free(terms->items[i].term);
    std::free(terms->items);
    std::free(terms);
}

extern "C" void vind_xapian_values_free(vind_xapian_values_t *values)
{
    if (values == nullptr)
        return;
    for (size_t i = 0; i < values->count; i++)
        std::free(values->items[i].value);
    std::free(values->items);
    std::free(values);
}

extern "C" const char *vind_xapian_version(void)
{
    return Xapian::version_string();
}

extern "C" size_t vind_xapian_sortable_serialise(double value, char out[VIND_XAPIAN_SORTABLE_MAX])
{
    if (out == nullptr)
        return 0;
    /* sortable_serialise_ writes into a buffer and allocates nothing. */
    return Xapian::sortable_serialise_(value, out);
}

extern "C" double vind_xapian_sortable_unserialise(const char *bytes, size_t length)
{
    if (bytes == nullptr || length == 0)
        return 0.0;
    try {
        return Xapian::sortable_unserialise(std::string(bytes, length));
    } catch (...) {
        return 0.0;
    }
}

/* ------------------------------------------------------------- stemming */

struct vind_xapian_stemmer {
    Xapian::Stem stem;
    std::string input, output; /* reused: a word costs no allocation once they have grown */
};

extern "C" vind_status_t vind_xapian_stemmer_new(const char *language, vind_xapian_stemmer_t **out,
                                                 char **errmsg)
{
    if (out == nullptr)
        return invalid(errmsg, "vind_xapian_stemmer_new", "out is NULL");
    *out = nullptr;
    if (language == nullptr)
        return invalid(errmsg, "vind_xapian_stemmer_new", "language is NULL");
    try {
        *out = new vind_xapian_stemmer{Xapian::Stem(language), std::string(), std::string()};
        return VIND_OK;
    } catch (const Xapian::InvalidArgumentError &) {
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no Snowball stemmer for '%s'", language);
    } catch (...) {
        return translate_exception(errmsg, "cannot create the stemmer", language);
    }
}

extern "C" void vind_xapian_stemmer_free(vind_xapian_stemmer_t *stemmer)
{
    delete stemmer;
}

extern "C" const char *vind_xapian_stem(vind_xapian_stemmer_t *stemmer, const char *word,
                                        size_t len, size_t *stem_length)
{
    if (stemmer == nullptr || (word == nullptr && len > 0) || stem_length == nullptr)
        return nullptr;
    try {
        stemmer->input.assign(word ? word : "", len);
        stemmer->output = stemmer->stem(stemmer->input);
        *stem_length = stemmer->output.size();
        return stemmer->output.c_str();
    } catch (...) {
        return nullptr; /* std::bad_alloc: Snowball itself throws nothing else */
    }
}

/* ----------------------------------------------------------- write side */

/* Xapian 1.4 merges a writer's in-memory changes into its tables every
 * XAPIAN_FLUSH_THRESHOLD changed documents, inside a transaction too (a merge,
 * not a commit), and reads that setting only from the environment, each time
 * a writable glass database is opened. Set once, before the first writer,
 * unless the user chose a value: VIND_INDEX_FLUSH_DOCS (include/vind/limits.h
 * says why). vind opens its writers before it starts threads that could read
 * the environment. */
static void set_flush_threshold()
{
    static std::once_flag once;
    std::call_once(once, [] {
        const char *chosen = std::getenv("XAPIAN_FLUSH_THRESHOLD");
        if (chosen == nullptr || *chosen == '\0')
            setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(VIND_INDEX_FLUSH_DOCS).c_str(), 1);
    });
}

extern "C" vind_status_t vind_xapian_writer_open(const char *path, int create_if_missing,
                                                 vind_xapian_writer_t **writer, char **errmsg)
{
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_open", "writer is NULL");
    *writer = nullptr;
    if (path == nullptr || *path == '\0')
        return invalid(errmsg, "vind_xapian_writer_open", "path is NULL or empty");
    return guard(
        errmsg, "cannot open Xapian database for writing", path,
        [&] {
            set_flush_threshold();
            std::unique_ptr<vind_xapian_writer> opened(new vind_xapian_writer);
            opened->path = path;
            const std::string stub = stub_file(path);
            if (!stub.empty()) {
                open_writable_stub(opened.get(), stub);
            } else {
                int flags = (create_if_missing ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) |
                            Xapian::DB_BACKEND_GLASS;
                opened->database = Xapian::WritableDatabase(path, flags);
                opened->shards.assign(1, opened->database);
                opened->combined = opened->database;
            }
            ensure_transaction(opened.get());
            start_pool(opened.get());
            *writer = opened.release();
            return VIND_OK;
        },
        path);
}

extern "C" vind_status_t vind_xapian_writer_open_shards(const char *path, unsigned shards,
                                                        vind_xapian_writer_t **writer,
                                                        char **errmsg)
{
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_open_shards", "writer is NULL");
    *writer = nullptr;
    if (path == nullptr || *path == '\0' || shards < 2 || shards > VIND_XAPIAN_MAX_SHARDS)
        return invalid(errmsg, "vind_xapian_writer_open_shards",
                       "path is NULL or empty, or the number of shards is not 2 to 1024");
    vind_status_t status = guard(errmsg, "cannot create the shards of", path, [&] {
        struct stat info;
        const std::string glass = std::string(path) + "/iamglass";
        if (stat(glass.c_str(), &info) == 0)
            return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                              "%s is one database, not %u shards: index into a new folder", path,
                              shards);
        if (stub_file(path).empty())
            create_shards(path, shards);
        return VIND_OK;
    });
    if (status != VIND_OK)
        return status;
    status = vind_xapian_writer_open(path, 0, writer, errmsg);
    if (status == VIND_OK && (*writer)->shards.size() != shards) {
        status = vind_error(errmsg, VIND_INVALID_ARGUMENT, "%s has %zu shards, not %u", path,
                            (*writer)->shards.size(), shards);
        vind_xapian_writer_close(*writer);
        *writer = nullptr;
    }
    return status;
}

/*
 * Writes a compacted copy of what writer has committed into dest (which
 * must not exist, but for a sharded index: a folder that may hold
 * dest/shard-N links to empty folders, where those shards are written, the
 * caller's shards kept on other disks): Xapian's compaction (xapian-compact's, full) of each
 * local database on its own, so a sharded index stays sharded, dest/shard-N
 * for the stub's Nth shard plus dest/XAPIANDB. Reads the databases at their
 * paths (the last commit, not the writer's open transaction) while the
 * writer keeps the lock. Docids are kept (DBCOMPACT_NO_RENUMBER): the text
 * store's keys hold docids, and renumbering would also lower the highest
 * docid ever used, so a later document could take the id of a deleted one.
 * Cost: one sequential read of the index and one write of the copy
 * (5,000 generated documents, 267 MB: about 1 s).
 */
extern "C" vind_status_t vind_xapian_writer_compact(vind_xapian_writer_t *writer,
                                                    const char *dest, char **errmsg)
{
    if (writer == nullptr || dest == nullptr || *dest == '\0')
        return invalid(errmsg, "vind_xapian_writer_compact", "writer or destination missing");
    const unsigned flags = Xapian::Compactor::FULL | Xapian::DBCOMPACT_NO_RENUMBER;
    return guard(errmsg, "cannot compact", writer->path.c_str(), [&] {
        const std::string stub = stub_file(writer->path);
        if (stub.empty()) {
            Xapian::Database(writer->path, Xapian::DB_BACKEND_GLASS).compact(dest, flags);
            return VIND_OK;
        }
        if (stub != writer->path + "/XAPIANDB")
            return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                              "the stub %s is a file, not a folder "
                              "of shards: compact each database it lists",
                              stub.c_str());
        if (mkdir(dest, 0755) != 0 && errno != EEXIST) /* made with links to shards elsewhere */
            throw Xapian::DatabaseCreateError(std::string("cannot create the folder ") + dest +
                                              ": " + std::strerror(errno));
        unsigned n = 0;
        for (const StubLine &line : read_stub(stub)) {
            if (line.kind != StubKind::LOCAL)
                continue; /* a writer's stub has no remote lines (open_writable_stub) */
            const std::string shard = std::string(dest) + "/shard-" + std::to_string(n++);
            Xapian::Database(line.target, Xapian::DB_BACKEND_GLASS).compact(shard, flags);
        }
        write_stub(dest, n);
        return VIND_OK;
    });
}

extern "C" unsigned vind_xapian_writer_shards(const vind_xapian_writer_t *writer)
{
    return writer != nullptr && writer->shards.size() > 1 ? (unsigned)writer->shards.size() : 0;
}

extern "C" void vind_xapian_writer_close(vind_xapian_writer_t *writer)
{
    if (writer == nullptr)
        return;
    try {
        if (writer->pool)
            writer->pool->end();
        /* close() aborts the open transaction: uncommitted changes go, and
         * the lock is released even if a reader made by
         * vind_xapian_writer_reader still shares the database. */
        for (Xapian::WritableDatabase &shard : writer->shards)
            shard.close();
        writer->database.close();
    } catch (...) {
    }
    delete writer;
}

extern "C" vind_status_t vind_xapian_writer_commit(vind_xapian_writer_t *writer, char **errmsg)
{
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_commit", "writer is NULL");
    if (writer->user_transaction)
        return invalid(errmsg, "vind_xapian_writer_commit",
                       "a transaction is active: use vind_xapian_writer_commit_transaction");
    return guard(errmsg, "cannot commit Xapian database", writer->path.c_str(), [&] {
        commit_and_restart(writer);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_writer_begin_transaction(vind_xapian_writer_t *writer,
                                                              char **errmsg)
{
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_begin_transaction", "writer is NULL");
    if (writer->user_transaction)
        return invalid(errmsg, "vind_xapian_writer_begin_transaction",
                       "a transaction is already active (they do not nest)");
    return guard(errmsg, "cannot begin a transaction on Xapian database", writer->path.c_str(),
                 [&] {
                     commit_and_restart(writer);
                     writer->user_transaction = true;
                     return VIND_OK;
                 });
}

extern "C" vind_status_t vind_xapian_writer_commit_transaction(vind_xapian_writer_t *writer,
                                                               char **errmsg)
{
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_commit_transaction", "writer is NULL");
    if (!writer->user_transaction)
        return invalid(errmsg, "vind_xapian_writer_commit_transaction", "no transaction is active");
    return guard(errmsg, "cannot commit the transaction on Xapian database", writer->path.c_str(),
                 [&] {
                     writer->user_transaction = false;
                     commit_and_restart(writer);
                     return VIND_OK;
                 });
}

extern "C" vind_status_t vind_xapian_writer_cancel_transaction(vind_xapian_writer_t *writer,
                                                               char **errmsg)
{
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_cancel_transaction", "writer is NULL");
    if (!writer->user_transaction)
        return invalid(errmsg, "vind_xapian_writer_cancel_transaction", "no transaction is active");
    return guard(errmsg, "cannot cancel the transaction on Xapian database", writer->path.c_str(),
                 [&] {
                     writer->user_transaction = false;
                     if (writer->pool) /* what failed is cancelled with the rest */
                         writer->pool->settle_all(true);
                     if (writer->in_transaction) {
                         writer->in_transaction = false;
                         for (Xapian::WritableDatabase &shard : writer->shards)
                             shard.cancel_transaction();
                     }
                     ensure_transaction(writer);
                     return VIND_OK;
                 });
}

extern "C" vind_status_t vind_xapian_writer_doc_count(vind_xapian_writer_t *writer, uint32_t *count,
                                                      char **errmsg)
{
    if (count != nullptr)
        *count = 0;
    if (count == nullptr || writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_doc_count", "writer or count is NULL");
    return guard(errmsg, "cannot count the documents of Xapian database", writer->path.c_str(),
                 [&] {
                     settle(writer->pool);
                     *count = writer->combined.get_doccount();
                     return VIND_OK;
                 });
}

extern "C" vind_status_t vind_xapian_writer_revision(vind_xapian_writer_t *writer,
                                                     uint64_t *revision, char **errmsg)
{
    if (revision != nullptr)
        *revision = 0;
    if (revision == nullptr || writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_revision", "writer or revision is NULL");
    return guard(errmsg, "cannot read the revision of Xapian database", writer->path.c_str(), [&] {
        uint64_t sum = 0;
        settle(writer->pool);
        for (Xapian::WritableDatabase &shard : writer->shards)
            sum += shard.get_revision();
        *revision = sum;
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_writer_set_metadata(vind_xapian_writer_t *writer,
                                                         const char *key, const char *value,
                                                         size_t length, char **errmsg)
{
    if (writer == nullptr || key == nullptr || *key == '\0' || (value == nullptr && length > 0))
        return invalid(errmsg, "vind_xapian_writer_set_metadata",
                       "writer, key or value is NULL, or key is empty");
    return guard(errmsg, "cannot set metadata", key, [&] {
        ensure_transaction(writer);
        const std::string text = length > 0 ? std::string(value, length) : std::string();
        std::string routed;
        bool document = false;
        size_t shard = route_key(key, writer->shards.size(), &routed, &document);
        if (writer->pool) {
            /* queued: a document's page text goes with it, in its shard's thread */
            for (size_t s = 0; s < writer->shards.size(); s++)
                if (!document || s == shard)
                    writer->pool->queue(
                        s,
                        [db = &writer->shards[s], k = document ? routed : std::string(key), text] {
                            db->set_metadata(k, text);
                        },
                        std::string("the metadata ") + key);
        } else if (document || writer->shards.size() == 1)
            writer->shards[shard].set_metadata(routed, text);
        else /* the index's own metadata: in every shard, so each is whole */
            for (Xapian::WritableDatabase &each : writer->shards)
                each.set_metadata(key, text);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_writer_get_metadata(vind_xapian_writer_t *writer,
                                                         const char *key, char **value,
                                                         size_t *length, char **errmsg)
{
    if (value == nullptr)
        return invalid(errmsg, "vind_xapian_writer_get_metadata", "value is NULL");
    *value = nullptr;
    if (length != nullptr)
        *length = 0;
    if (writer == nullptr || key == nullptr || *key == '\0')
        return invalid(errmsg, "vind_xapian_writer_get_metadata",
                       "writer or key is NULL, or key is empty");
    return guard(errmsg, "cannot read metadata", key, [&] {
        std::string routed;
        size_t shard = route_key(key, writer->shards.size(), &routed);
        settle(writer->pool, shard);
        return get_metadata(writer->shards[shard], writer->path.c_str(), routed.c_str(), value,
                            length, errmsg);
    });
}

/* Raises (add) or lowers a word's spelling frequency by change. A sharded
 * writer queues it on the first shard's thread (the spelling table's), in
 * the order asked: the table changes while the other shards commit. */
static vind_status_t change_spelling(vind_xapian_writer_t *writer, const char *word,
                                     uint32_t change, bool add, char **errmsg)
{
    return guard(errmsg, add ? "cannot add spelling word" : "cannot remove spelling word", word,
                 [&] {
                     ensure_transaction(writer);
                     auto apply = [db = &writer->database, w = std::string(word), change, add] {
                         if (add)
                             db->add_spelling(w, change);
                         else
                             db->remove_spelling(w, change);
                     };
                     if (writer->pool)
                         writer->pool->queue(0, apply, std::string("the spelling word ") + word);
                     else
                         apply();
                     return VIND_OK;
                 });
}

extern "C" vind_status_t vind_xapian_writer_add_spelling(vind_xapian_writer_t *writer,
                                                         const char *word,
                                                         uint32_t frequency_increment,
                                                         char **errmsg)
{
    if (writer == nullptr || word == nullptr || *word == '\0' || frequency_increment == 0)
        return invalid(errmsg, "vind_xapian_writer_add_spelling",
                       "writer or word is NULL or empty, or the increment is 0");
    return change_spelling(writer, word, frequency_increment, true, errmsg);
}

extern "C" vind_status_t vind_xapian_writer_remove_spelling(vind_xapian_writer_t *writer,
                                                            const char *word,
                                                            uint32_t frequency_decrement,
                                                            char **errmsg)
{
    if (writer == nullptr || word == nullptr || *word == '\0')
        return invalid(errmsg, "vind_xapian_writer_remove_spelling",
                       "writer or word is NULL or empty");
    return change_spelling(writer, word, frequency_decrement, false, errmsg);
}

extern "C" vind_status_t vind_xapian_writer_add_synonym(vind_xapian_writer_t *writer,
                                                        const char *term, const char *synonym,
                                                        char **errmsg)
{
    if (writer == nullptr || term == nullptr || *term == '\0' || synonym == nullptr ||
        *synonym == '\0')
        return invalid(errmsg, "vind_xapian_writer_add_synonym",
                       "writer, term or synonym is NULL or empty");
    return guard(errmsg, "cannot add a synonym of", term, [&] {
        ensure_transaction(writer);
        settle(writer->pool, 0);
        writer->database.add_synonym(term, synonym);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_writer_clear_synonyms(vind_xapian_writer_t *writer,
                                                           const char *term, char **errmsg)
{
    if (writer == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_writer_clear_synonyms",
                       "writer or term is NULL or empty");
    return guard(errmsg, "cannot clear the synonyms of", term, [&] {
        ensure_transaction(writer);
        settle(writer->pool, 0);
        writer->database.clear_synonyms(term);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_writer_add_document(vind_xapian_writer_t *writer,
                                                         const vind_xapian_document_t *document,
                                                         uint32_t *docid, char **errmsg)
{
    if (docid != nullptr)
        *docid = 0;
    if (writer == nullptr || document == nullptr)
        return invalid(errmsg, "vind_xapian_writer_add_document", "writer or document is NULL");
    return guard(errmsg, "cannot add a document to Xapian database", writer->path.c_str(), [&] {
        ensure_transaction(writer);
        const size_t n = writer->shards.size();
        const size_t shard = shard_of_document(document->document, n);
        settle(writer->pool, shard);
        Xapian::docid added = writer->shards[shard].add_document(document->document);
        if (docid != nullptr)
            *docid = global_docid(added, shard, n);
        return VIND_OK;
    });
}

/* Replaces (or adds) the document with unique_term in the caller's thread;
 * its global docid, and whether it was added. */
Xapian::docid replace_now(vind_xapian_writer *writer, const char *unique_term,
                          const Xapian::Document &document, bool *added)
{
    ensure_transaction(writer);
    const size_t n = writer->shards.size();
    const size_t shard = shard_of_term(unique_term, n);
    settle(writer->pool, shard);
    Xapian::WritableDatabase &db = writer->shards[shard];
    const Xapian::docid before = db.get_lastdocid();
    const Xapian::docid local = db.replace_document(unique_term, document);
    *added = local > before;
    return global_docid(local, shard, n);
}

/* Queues the document with unique_term for its shard's thread (a pool):
 * the docid replace_document(unique_term) would give, the holder's or the
 * next, is decided here, so it is the same as without the pool. */
Xapian::docid replace_queued(vind_xapian_writer *writer, const char *unique_term,
                             std::unique_ptr<vind_xapian_document> document, bool *added)
{
    ensure_transaction(writer);
    const size_t n = writer->shards.size();
    const size_t shard = shard_of_term(unique_term, n);
    settle(writer->pool, shard);
    Xapian::WritableDatabase &db = writer->shards[shard];
    Xapian::docid local = 0;
    {
        /* the iterator ends before the shard's thread touches the database */
        Xapian::PostingIterator holder = db.postlist_begin(unique_term);
        local = holder == db.postlist_end(unique_term) ? 0 : *holder;
    }
    *added = local == 0;
    if (local == 0)
        local = db.get_lastdocid() + 1;
    std::shared_ptr<vind_xapian_document> given(document.release());
    writer->pool->queue(
        shard, [&db, local, given = std::move(given)] { db.replace_document(local, given->document); },
        std::string("the document with term ") + unique_term);
    return global_docid(local, shard, n);
}

extern "C" vind_status_t
vind_xapian_writer_replace_document_by_term(vind_xapian_writer_t *writer, const char *unique_term,
                                            const vind_xapian_document_t *document, uint32_t *docid,
                                            char **errmsg)
{
    if (docid != nullptr)
        *docid = 0;
    if (writer == nullptr || document == nullptr || unique_term == nullptr || *unique_term == '\0')
        return invalid(errmsg, "vind_xapian_writer_replace_document_by_term",
                       "writer, unique_term or document is NULL, or unique_term is empty");
    return guard(errmsg, "cannot replace the document with term", unique_term, [&] {
        bool added = false;
        Xapian::docid replaced = replace_now(writer, unique_term, document->document, &added);
        if (docid != nullptr)
            *docid = replaced;
        return VIND_OK;
    });
}

extern "C" vind_status_t
vind_xapian_writer_store_document_by_term(vind_xapian_writer_t *writer, const char *unique_term,
                                          vind_xapian_document_t **document, uint32_t *docid,
                                          int *added, char **errmsg)
{
    if (docid != nullptr)
        *docid = 0;
    if (added != nullptr)
        *added = 0;
    if (writer == nullptr || document == nullptr || *document == nullptr ||
        unique_term == nullptr || *unique_term == '\0')
        return invalid(errmsg, "vind_xapian_writer_store_document_by_term",
                       "writer, unique_term or document is NULL, or unique_term is empty");
    return guard(errmsg, "cannot store the document with term", unique_term, [&] {
        bool fresh = false;
        Xapian::docid stored = 0;
        if (writer->pool) {
            std::unique_ptr<vind_xapian_document> taken(*document);
            *document = nullptr;
            stored = replace_queued(writer, unique_term, std::move(taken), &fresh);
        } else {
            stored = replace_now(writer, unique_term, (*document)->document, &fresh);
        }
        if (docid != nullptr)
            *docid = stored;
        if (added != nullptr)
            *added = fresh;
        return VIND_OK;
    });
}

extern "C" vind_status_t
vind_xapian_writer_give_document_by_term(vind_xapian_writer_t *writer, const char *unique_term,
                                         vind_xapian_document_t *document, uint32_t *docid,
                                         int *added, char **errmsg)
{
    vind_status_t status = vind_xapian_writer_store_document_by_term(writer, unique_term,
                                                                     &document, docid, added,
                                                                     errmsg);
    delete document; /* NULL when the writer took it */
    return status;
}

extern "C" vind_status_t vind_xapian_writer_delete_documents_by_term(vind_xapian_writer_t *writer,
                                                                     const char *unique_term,
                                                                     char **errmsg)
{
    /* An empty term would name every document. */
    if (writer == nullptr || unique_term == nullptr || *unique_term == '\0')
        return invalid(errmsg, "vind_xapian_writer_delete_documents_by_term",
                       "writer or unique_term is NULL or empty");
    return guard(errmsg, "cannot delete the documents with term", unique_term, [&] {
        ensure_transaction(writer);
        settle(writer->pool);
        if (unique_term[0] == 'Q' || writer->shards.size() == 1)
            writer->shards[shard_of_term(unique_term, writer->shards.size())].delete_document(
                unique_term);
        else
            for (Xapian::WritableDatabase &shard : writer->shards)
                shard.delete_document(unique_term);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_writer_delete_document(vind_xapian_writer_t *writer,
                                                            uint32_t docid, char **errmsg)
{
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_delete_document", "writer is NULL");
    if (docid == 0)
        return vind_error(errmsg, VIND_NOT_FOUND, "no document 0 in Xapian database %s",
                          writer->path.c_str());
    return guard(errmsg, "cannot delete a document from Xapian database", writer->path.c_str(),
                 [&] {
                     ensure_transaction(writer);
                     Xapian::docid local = 0;
                     size_t shard = shard_of_docid(docid, writer->shards.size(), &local);
                     settle(writer->pool, shard);
                     writer->shards[shard].delete_document(local);
                     return VIND_OK;
                 });
}

extern "C" vind_status_t vind_xapian_writer_set_value(vind_xapian_writer_t *writer, uint32_t docid,
                                                      uint32_t slot, const char *bytes,
                                                      size_t length, char **errmsg)
{
    if (writer == nullptr || (bytes == nullptr && length > 0))
        return invalid(errmsg, "vind_xapian_writer_set_value", "writer or bytes is NULL");
    if (docid == 0)
        return vind_error(errmsg, VIND_NOT_FOUND, "no document 0 in Xapian database %s",
                          writer->path.c_str());
    return guard(errmsg, "cannot set a value of a document in Xapian database",
                 writer->path.c_str(), [&] {
                     ensure_transaction(writer);
                     /* Only the values change: Xapian rewrites those, not the terms. */
                     Xapian::docid local = 0;
                     const size_t s = shard_of_docid(docid, writer->shards.size(), &local);
                     settle(writer->pool, s);
                     Xapian::WritableDatabase &shard = writer->shards[s];
                     Xapian::Document document = shard.get_document(local);
                     document.add_value(slot, std::string(bytes != nullptr ? bytes : "", length));
                     shard.replace_document(local, document);
                     return VIND_OK;
                 });
}

extern "C" vind_status_t vind_xapian_writer_docid_for_term(vind_xapian_writer_t *writer,
                                                           const char *unique_term, uint32_t *docid,
                                                           char **errmsg)
{
    if (docid == nullptr)
        return invalid(errmsg, "vind_xapian_writer_docid_for_term", "docid is NULL");
    *docid = 0;
    if (writer == nullptr || unique_term == nullptr || *unique_term == '\0')
        return invalid(errmsg, "vind_xapian_writer_docid_for_term",
                       "writer or unique_term is NULL or empty");
    return guard(errmsg, "cannot look up the document with term", unique_term, [&] {
        const size_t n = writer->shards.size();
        if (writer->pool && unique_term[0] == 'Q') {
            /* a unique term is only ever in its own shard: wait for that one */
            const size_t shard = shard_of_term(unique_term, n);
            settle(writer->pool, shard);
            vind_status_t status =
                docid_for_term(writer->shards[shard], writer->path.c_str(),
                               "vind_xapian_writer_docid_for_term", unique_term, docid, errmsg);
            if (status == VIND_OK)
                *docid = global_docid(*docid, shard, n);
            return status;
        }
        settle(writer->pool);
        /* Through the combined view: its docids are the global ones. */
        return docid_for_term(writer->combined, writer->path.c_str(),
                              "vind_xapian_writer_docid_for_term", unique_term, docid, errmsg);
    });
}

extern "C" vind_status_t vind_xapian_writer_term_exists(vind_xapian_writer_t *writer,
                                                        const char *term, int *exists,
                                                        char **errmsg)
{
    if (exists == nullptr)
        return invalid(errmsg, "vind_xapian_writer_term_exists", "exists is NULL");
    *exists = 0;
    if (writer == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_writer_term_exists", "writer or term is NULL or empty");
    return guard(errmsg, "cannot look up term", term, [&] {
        settle(writer->pool);
        *exists = writer->combined.term_exists(term) ? 1 : 0;
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_writer_reader(vind_xapian_writer_t *writer,
                                                   vind_xapian_reader_t **reader, char **errmsg)
{
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_writer_reader", "reader is NULL");
    *reader = nullptr;
    if (writer == nullptr)
        return invalid(errmsg, "vind_xapian_writer_reader", "writer is NULL");
    return guard(errmsg, "cannot read Xapian database", writer->path.c_str(), [&] {
        /* A Database copy shares the writer's internals, uncommitted changes included. */
        settle(writer->pool); /* the handles are copied here */
        std::unique_ptr<vind_xapian_reader> opened(new vind_xapian_reader);
        opened->pool = writer->pool;
        opened->database = writer->combined;
        opened->path = writer->path;
        opened->spelling = writer->database;
        if (writer->shards.size() > 1)
            for (Xapian::WritableDatabase &shard : writer->shards) {
                opened->shards.push_back(shard);
                opened->shard_remote.push_back(false);
            }
        *reader = opened.release();
        return VIND_OK;
    });
}

/* ------------------------------------------------------------ documents */

extern "C" vind_xapian_document_t *vind_xapian_document_new(void)
{
    try {
        return new vind_xapian_document;
    } catch (...) {
        return nullptr;
    }
}

extern "C" void vind_xapian_document_free(vind_xapian_document_t *document)
{
    delete document;
}

extern "C" vind_status_t vind_xapian_document_add_posting(vind_xapian_document_t *document,
                                                          const char *term, uint32_t position,
                                                          uint32_t wdf_increment, char **errmsg)
{
    if (document == nullptr || term == nullptr || *term == '\0' || position == 0)
        return invalid(errmsg, "vind_xapian_document_add_posting",
                       "document or term is NULL or empty, or position is 0");
    return catch_at_boundary(errmsg, "cannot add posting of term", term, [&] {
        document->document.add_posting(term, position, wdf_increment);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_document_add_term(vind_xapian_document_t *document,
                                                       const char *term, uint32_t wdf_increment,
                                                       char **errmsg)
{
    if (document == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_document_add_term",
                       "document or term is NULL or empty");
    return catch_at_boundary(errmsg, "cannot add term", term, [&] {
        document->document.add_term(term, wdf_increment);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_document_add_boolean_term(vind_xapian_document_t *document,
                                                               const char *term, char **errmsg)
{
    if (document == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_document_add_boolean_term",
                       "document or term is NULL or empty");
    return catch_at_boundary(errmsg, "cannot add boolean term", term, [&] {
        document->document.add_boolean_term(term);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_document_add_value(vind_xapian_document_t *document,
                                                        uint32_t slot, const char *bytes,
                                                        size_t length, char **errmsg)
{
    if (document == nullptr || (bytes == nullptr && length > 0) || slot == VIND_XAPIAN_NO_SLOT)
        return invalid(errmsg, "vind_xapian_document_add_value",
                       "document or bytes is NULL, or slot is VIND_XAPIAN_NO_SLOT");
    return catch_at_boundary(errmsg, "cannot set a value of a document", "", [&] {
        if (length == 0)
            document->document.remove_value(slot);
        else
            document->document.add_value(slot, std::string(bytes, length));
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_document_set_data(vind_xapian_document_t *document,
                                                       const char *bytes, size_t length,
                                                       char **errmsg)
{
    if (document == nullptr || (bytes == nullptr && length > 0))
        return invalid(errmsg, "vind_xapian_document_set_data", "document or bytes is NULL");
    return catch_at_boundary(errmsg, "cannot set the data of a document", "", [&] {
        document->document.set_data(length > 0 ? std::string(bytes, length) : std::string());
        return VIND_OK;
    });
}

/* ------------------------------------------------------------ read side */

/* Docid 0 names no document (Xapian would throw InvalidArgumentError). */
static vind_status_t no_document_zero(const vind_xapian_reader *reader, char **errmsg)
{
    return vind_error(errmsg, VIND_NOT_FOUND, "no document 0 in Xapian database %s",
                      reader->path.c_str());
}

extern "C" vind_status_t vind_xapian_reader_open(const char *path, vind_xapian_reader_t **reader,
                                                 char **errmsg)
{
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_open", "reader is NULL");
    *reader = nullptr;
    if (path == nullptr || *path == '\0')
        return invalid(errmsg, "vind_xapian_reader_open", "path is NULL or empty");
    return catch_at_boundary(
        errmsg, "cannot open Xapian database", path,
        [&] {
            std::unique_ptr<vind_xapian_reader> opened(new vind_xapian_reader);
            opened->path = path;
            const std::string stub = stub_file(path);
            if (!stub.empty()) {
                open_stub(opened.get(), stub);
            } else {
                opened->database = Xapian::Database(path, Xapian::DB_BACKEND_GLASS);
                opened->spelling = opened->database;
            }
            opened->cacheable = !opened->remote;
            *reader = opened.release();
            return VIND_OK;
        },
        path);
}

extern "C" vind_status_t vind_xapian_reader_reopen(vind_xapian_reader_t *reader, int *changed,
                                                   char **errmsg)
{
    if (changed != nullptr)
        *changed = 0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_reopen", "reader is NULL");
    return catch_at_boundary(errmsg, "cannot reopen Xapian database", reader->path.c_str(), [&] {
        settle(reader->pool);
        /* Xapian's reopen() answers "might have changed"; the revision says
         * whether it did. */
        int moved = 1;
        vind_status_t status = VIND_OK;
        if (!reader->shards.empty()) {
            status = reopen_shards(reader, &moved);
        } else {
            Xapian::rev before = reader->database.get_revision();
            reader->database.reopen();
            moved = reader->database.get_revision() != before ? 1 : 0;
        }
        if (moved) {
            reader->cache.clear(); /* nothing of the old revision is answered */
            reader->ordinals.clear();
            reader->ranks.clear();
            reader->keyed.clear();
        }
        reader->cacheable = reader->cacheable && !reader->remote;
        if (changed != nullptr)
            *changed = moved;
        return status;
    });
}

extern "C" void vind_xapian_reader_close(vind_xapian_reader_t *reader)
{
    try {
        /* its handles share the shards: released while no writer thread runs */
        if (reader != nullptr)
            settle(reader->pool);
    } catch (...) {
        /* a failed write is the writer's to report */
    }
    delete reader;
}

extern "C" vind_status_t vind_xapian_reader_revision(vind_xapian_reader_t *reader,
                                                     uint64_t *revision, char **errmsg)
{
    if (revision == nullptr)
        return invalid(errmsg, "vind_xapian_reader_revision", "revision is NULL");
    *revision = 0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_revision", "reader is NULL");
    return catch_at_boundary(
        errmsg, "cannot read the revision of Xapian database", reader->path.c_str(), [&] {
            settle(reader->pool);
            /* A remote shard reports no revision, and one behind xapian-tcpsrv
             * may switch to another copy (a replica) without a reopen noticing:
             * the state of such an index is unknown, 0, and vind-searchd keeps
             * no answers of it (a count of the changes seen would come back to
             * an old value once a reader is opened anew, and serve answers of
             * an older copy). */
            *revision = reader->shards.empty() ? reader->database.get_revision()
                        : reader->remote       ? 0
                                               : revision_sum(reader);
            return VIND_OK;
        });
}

extern "C" vind_status_t vind_xapian_reader_uuid(vind_xapian_reader_t *reader, char **uuid,
                                                 char **errmsg)
{
    if (uuid == nullptr)
        return invalid(errmsg, "vind_xapian_reader_uuid", "uuid is NULL");
    *uuid = nullptr;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_uuid", "reader is NULL");
    return catch_at_boundary(errmsg, "cannot read the UUID of Xapian database", reader->path.c_str(),
                             [&] {
                                 settle(reader->pool);
                                 *uuid = strdup(reader->database.get_uuid().c_str());
                                 return *uuid ? VIND_OK
                                              : vind_error(errmsg, VIND_NOMEM,
                                                           "cannot copy the UUID: out of memory");
                             });
}

extern "C" vind_status_t vind_xapian_reader_value_count(vind_xapian_reader_t *reader, uint32_t slot,
                                                        uint32_t *count, char **errmsg)
{
    if (count == nullptr)
        return invalid(errmsg, "vind_xapian_reader_value_count", "count is NULL");
    *count = 0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_value_count", "reader is NULL");
    return catch_at_boundary(errmsg, "cannot count the values in Xapian database",
                             reader->path.c_str(), [&] {
                                 settle(reader->pool);
                                 *count = reader->database.get_value_freq(slot);
                                 return VIND_OK;
                             });
}

extern "C" vind_status_t vind_xapian_reader_doc_count(vind_xapian_reader_t *reader, uint32_t *count,
                                                      char **errmsg)
{
    if (count == nullptr)
        return invalid(errmsg, "vind_xapian_reader_doc_count", "count is NULL");
    *count = 0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_doc_count", "reader is NULL");
    return catch_at_boundary(errmsg, "cannot count the documents of Xapian database",
                             reader->path.c_str(), [&] {
                                 settle(reader->pool);
                                 *count = reader->database.get_doccount();
                                 return VIND_OK;
                             });
}

extern "C" vind_status_t vind_xapian_reader_average_length(vind_xapian_reader_t *reader,
                                                           double *average, char **errmsg)
{
    if (average == nullptr)
        return invalid(errmsg, "vind_xapian_reader_average_length", "average is NULL");
    *average = 0.0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_average_length", "reader is NULL");
    return catch_at_boundary(errmsg, "cannot read the average length in Xapian database",
                             reader->path.c_str(), [&] {
                                 settle(reader->pool);
                                 *average = reader->database.get_avlength();
                                 return VIND_OK;
                             });
}

extern "C" vind_status_t vind_xapian_reader_get_document_data(vind_xapian_reader_t *reader,
                                                              uint32_t docid, char **data,
                                                              size_t *length, char **errmsg)
{
    if (data == nullptr)
        return invalid(errmsg, "vind_xapian_reader_get_document_data", "data is NULL");
    *data = nullptr;
    if (length != nullptr)
        *length = 0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_get_document_data", "reader is NULL");
    if (docid == 0)
        return no_document_zero(reader, errmsg);
    return catch_at_boundary(
        errmsg, "cannot read document data from Xapian database", reader->path.c_str(), [&] {
            settle_document(reader, docid);
            const std::string text = reader->database.get_document(docid).get_data();
            return hand_out(text, data, length, errmsg, "document data");
        });
}

extern "C" vind_status_t vind_xapian_reader_get_value(vind_xapian_reader_t *reader, uint32_t docid,
                                                      uint32_t slot, char **value, size_t *length,
                                                      char **errmsg)
{
    if (value == nullptr)
        return invalid(errmsg, "vind_xapian_reader_get_value", "value is NULL");
    *value = nullptr;
    if (length != nullptr)
        *length = 0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_get_value", "reader is NULL");
    if (docid == 0)
        return no_document_zero(reader, errmsg);
    return catch_at_boundary(
        errmsg, "cannot read a document value from Xapian database", reader->path.c_str(), [&] {
            settle_document(reader, docid); /* per document while indexing: its shard only */
            const Lent text = read_cached(
                reader, KeyBytes().number(slot).number(docid).key('v'), [reader, docid, slot] {
                    return reader->database.get_document(docid).get_value(slot);
                });
            return hand_out(text, value, length, errmsg, "a document value");
        });
}

extern "C" vind_status_t vind_xapian_reader_value_ranks(vind_xapian_reader_t *reader, uint32_t slot,
                                                        const uint32_t *docids, size_t n,
                                                        uint32_t *ranks, int *ranked, char **errmsg)
{
    if (ranked == nullptr || (n > 0 && (docids == nullptr || ranks == nullptr)))
        return invalid(errmsg, "vind_xapian_reader_value_ranks", "docids, ranks or ranked is NULL");
    *ranked = 0;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_value_ranks", "reader is NULL");
    /* Kept as the facet ordinals are: only at a revision that stays put
     * (cacheable), with a cache, over one database (global docids). */
    if (!reader->cacheable || reader->cache.budget() == 0 || !reader->shards.empty())
        return VIND_OK;
    const vind_status_t status = catch_at_boundary(
        errmsg, "cannot rank the values of Xapian database", reader->path.c_str(), [&] {
            if (!reader->ranks.built_for(slot)) {
                if (reader->ranks.bytes(reader->database) > reader->cache.budget())
                    return VIND_OK;
                reader->ranks.build(reader->database, slot);
            }
            for (size_t i = 0; i < n; i++)
                ranks[i] = reader->ranks.of(docids[i]);
            *ranked = 1;
            return VIND_OK;
        });
    if (status != VIND_OK) /* only a throw fails: no half-built table is kept */
        reader->ranks.clear();
    return status;
}

extern "C" vind_status_t vind_xapian_reader_values(vind_xapian_reader_t *reader, uint32_t slot,
                                                   vind_xapian_values_t **values, char **errmsg)
{
    if (values == nullptr)
        return invalid(errmsg, "vind_xapian_reader_values", "values is NULL");
    *values = nullptr;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_values", "reader is NULL");
    return catch_at_boundary(
        errmsg, "cannot read the values of Xapian database", reader->path.c_str(), [&] {
            settle(reader->pool);
            std::vector<std::pair<Xapian::docid, std::string>> found;
            const Xapian::Database &database = reader->database;
            for (Xapian::ValueIterator it = database.valuestream_begin(slot);
                 it != database.valuestream_end(slot); ++it)
                found.emplace_back(it.get_docid(), *it);
            vind_xapian_values_t *list = copy_list(
                found, vind_xapian_values_free,
                [](vind_xapian_value_t *item, const std::pair<Xapian::docid, std::string> &entry) {
                    item->value = copy_bytes(entry.second);
                    item->docid = entry.first;
                    item->length = entry.second.size();
                    return item->value != nullptr;
                });
            if (list == nullptr)
                return vind_error(errmsg, VIND_NOMEM, "cannot copy values: out of memory");
            *values = list;
            return VIND_OK;
        });
}

extern "C" vind_status_t vind_xapian_reader_docid_for_term(vind_xapian_reader_t *reader,
                                                           const char *unique_term, uint32_t *docid,
                                                           char **errmsg)
{
    if (docid == nullptr)
        return invalid(errmsg, "vind_xapian_reader_docid_for_term", "docid is NULL");
    *docid = 0;
    if (reader == nullptr || unique_term == nullptr || *unique_term == '\0')
        return invalid(errmsg, "vind_xapian_reader_docid_for_term",
                       "reader or unique_term is NULL or empty");
    return catch_at_boundary(errmsg, "cannot look up the document with term", unique_term, [&] {
        settle(reader->pool);
        return docid_for_term(reader->database, reader->path.c_str(),
                              "vind_xapian_reader_docid_for_term", unique_term, docid, errmsg);
    });
}

extern "C" vind_status_t vind_xapian_reader_term_frequency(vind_xapian_reader_t *reader,
                                                           const char *term, uint32_t *frequency,
                                                           char **errmsg)
{
    if (frequency == nullptr)
        return invalid(errmsg, "vind_xapian_reader_term_frequency", "frequency is NULL");
    *frequency = 0;
    if (reader == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_reader_term_frequency",
                       "reader or term is NULL or empty");
    return catch_at_boundary(errmsg, "cannot read the frequency of term", term, [&] {
        settle(reader->pool);
        if (!(reader->cacheable && reader->cache.budget() > 0)) {
            *frequency = reader->database.get_termfreq(term);
            return VIND_OK;
        }
        /* Kept in the read cache: a request asks for the same words' (its
         * exact title, "Bedoelde je"'s forms) as the last ones did, and a
         * look-up in Xapian's term table was ~1,900 instructions. */
        KeyBytes key;
        key.add(term, std::strlen(term));
        const Xapian::Database &database = reader->database;
        const Lent found = read_cached(reader, key.key('f'), [&database, term] {
            const uint32_t count = database.get_termfreq(term);
            return std::string(reinterpret_cast<const char *>(&count), sizeof count);
        });
        if (found.size == sizeof *frequency)
            std::memcpy(frequency, found.data, sizeof *frequency);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_reader_collection_frequency(vind_xapian_reader_t *reader,
                                                                 const char *term,
                                                                 uint64_t *frequency, char **errmsg)
{
    if (frequency == nullptr)
        return invalid(errmsg, "vind_xapian_reader_collection_frequency", "frequency is NULL");
    *frequency = 0;
    if (reader == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_reader_collection_frequency",
                       "reader or term is NULL or empty");
    return catch_at_boundary(errmsg, "cannot read the collection frequency of term", term, [&] {
        settle(reader->pool);
        *frequency = reader->database.get_collection_freq(term);
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_reader_term_exists(vind_xapian_reader_t *reader,
                                                        const char *term, int *exists,
                                                        char **errmsg)
{
    if (exists == nullptr)
        return invalid(errmsg, "vind_xapian_reader_term_exists", "exists is NULL");
    *exists = 0;
    if (reader == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_reader_term_exists", "reader or term is NULL or empty");
    return catch_at_boundary(errmsg, "cannot look up term", term, [&] {
        settle(reader->pool);
        *exists = reader->database.term_exists(term) ? 1 : 0;
        return VIND_OK;
    });
}

/* The terms of docid under prefix, with their term frequencies when with_frequency. */
static vind_status_t document_terms(vind_xapian_reader_t *reader, uint32_t docid,
                                    const char *prefix, bool with_frequency,
                                    vind_xapian_terms_t **terms, char **errmsg)
{
    if (terms == nullptr)
        return invalid(errmsg, "vind_xapian_reader_document_terms", "terms is NULL");
    *terms = nullptr;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_document_terms", "reader is NULL");
    if (docid == 0)
        return no_document_zero(reader, errmsg);
    return catch_at_boundary(
        errmsg, "cannot list the terms of a document in", reader->path.c_str(), [&] {
            settle(reader->pool);
            std::vector<TermItem> found;
            const std::string start = prefix != nullptr ? prefix : "";
            const Xapian::Database &database = reader->database;
            Xapian::TermIterator it = database.termlist_begin(docid);
            it.skip_to(start);
            for (; it != database.termlist_end(docid); ++it) {
                const std::string term = *it;
                if (term.compare(0, start.size(), start) != 0)
                    break;
                found.push_back(
                    TermItem{term, it.get_wdf(), with_frequency ? it.get_termfreq() : 0, 0.0});
            }
            return hand_out_terms(found, terms, errmsg);
        });
}

extern "C" vind_status_t vind_xapian_reader_document_terms(vind_xapian_reader_t *reader,
                                                           uint32_t docid, const char *prefix,
                                                           vind_xapian_terms_t **terms,
                                                           char **errmsg)
{
    return document_terms(reader, docid, prefix, true, terms, errmsg);
}

extern "C" vind_status_t vind_xapian_reader_document_wdfs(vind_xapian_reader_t *reader,
                                                          uint32_t docid, const char *prefix,
                                                          vind_xapian_terms_t **terms,
                                                          char **errmsg)
{
    return document_terms(reader, docid, prefix, false, terms, errmsg);
}

extern "C" vind_status_t vind_xapian_reader_each_wdf(vind_xapian_reader_t *reader,
                                                     uint32_t docid, vind_xapian_term_fn each,
                                                     void *context, char **errmsg)
{
    if (reader == nullptr || each == nullptr)
        return invalid(errmsg, "vind_xapian_reader_each_wdf", "reader or each is NULL");
    if (docid == 0)
        return no_document_zero(reader, errmsg);
    return catch_at_boundary(errmsg, "cannot list the terms of a document in", reader->path.c_str(),
                             [&] {
                                 settle(reader->pool);
                                 const Xapian::Database &database = reader->database;
                                 for (Xapian::TermIterator it = database.termlist_begin(docid);
                                      it != database.termlist_end(docid); ++it) {
                                     const std::string term = *it;
                                     if (each(term.c_str(), it.get_wdf(), context) != 0)
                                         break;
                                 }
                                 return VIND_OK;
                             });
}

/*
 * term_in over shards of which some are remote. A posting-list walk of a
 * remote database moves the whole list: the server streams it (Xapian 1.4
 * has no remote skip_to), so a common word's list crossed the network for
 * each search, and the servers spent most of their CPU writing it (5,000
 * generated documents, 2 remote shards, 300 searches: 9-11 s of the
 * servers' CPU, 3.6-4 s without the walks, the same answers). A document of
 * a remote shard is therefore reported as holding the term, and the caller
 * looks its positions up (one small round trip, an empty list when it
 * lacks the term); one of a local shard is checked on that shard's list.
 */
static void term_in_shards(const vind_xapian_reader *reader, const std::string &term,
                           const uint32_t *docids, size_t n, unsigned char *present)
{
    const size_t shards = reader->shards.size();
    std::vector<Xapian::PostingIterator> lists(shards);
    std::vector<bool> opened(shards, false);
    for (size_t i = 0; i < n; i++) {
        if (docids[i] == 0) { /* no document */
            present[i] = 0;
            continue;
        }
        const size_t s = (docids[i] - 1) % shards;
        const Xapian::docid local = (docids[i] - 1) / shards + 1;
        if (reader->shard_remote[s]) {
            present[i] = 1;
            continue;
        }
        if (!opened[s]) { /* docids ascend, so each shard's local ones do too */
            lists[s] = reader->shards[s].postlist_begin(term);
            opened[s] = true;
        }
        const Xapian::PostingIterator end = reader->shards[s].postlist_end(term);
        if (lists[s] != end)
            lists[s].skip_to(local);
        present[i] = lists[s] != end && *lists[s] == local;
    }
}

/* Postings of a term kept in the read cache for vind_xapian_reader_term_in
 * (its docids, 4 bytes each: 4 kB at most). A longer list is walked per
 * call as before and cached as TERM_IN_TOO_LONG, one byte: a list's bytes
 * are a multiple of 4. */
static constexpr size_t TERM_IN_CACHED_POSTINGS = 1024;
static constexpr char TERM_IN_TOO_LONG = 'L';

/* The docids of term's posting list, ascending, as uint32_t bytes; or
 * TERM_IN_TOO_LONG past TERM_IN_CACHED_POSTINGS. Cost: one walk of the list
 * (~30 instructions a posting), once per term and revision. */
static std::string term_in_list(const Xapian::Database &database, const char *term)
{
    std::string bytes;
    uint32_t chunk[64];
    size_t filled = 0, n = 0;
    const Xapian::PostingIterator end = database.postlist_end(term);
    for (Xapian::PostingIterator it = database.postlist_begin(term); it != end; ++it) {
        if (++n > TERM_IN_CACHED_POSTINGS)
            return std::string(1, TERM_IN_TOO_LONG);
        chunk[filled++] = *it;
        if (filled == sizeof chunk / sizeof *chunk) {
            bytes.append(reinterpret_cast<const char *>(chunk), sizeof chunk);
            filled = 0;
        }
    }
    bytes.append(reinterpret_cast<const char *>(chunk), filled * sizeof *chunk);
    return bytes;
}

/* present[i] = whether docids[i] is in list (term_in_list's bytes, not
 * aligned). Cost: a binary search a docid (~10 steps on a 1,000-posting
 * list). */
static void mark_in_list(Lent list, const uint32_t *docids, size_t n, unsigned char *present)
{
    const size_t count = list.size / sizeof(uint32_t);
    auto at = [&list](size_t i) {
        uint32_t docid;
        std::memcpy(&docid, list.data + i * sizeof docid, sizeof docid);
        return docid;
    };
    for (size_t i = 0; i < n; i++) {
        size_t low = 0, high = count;
        while (low < high) {
            const size_t mid = low + (high - low) / 2;
            if (at(mid) < docids[i])
                low = mid + 1;
            else
                high = mid;
        }
        present[i] = low < count && at(low) == docids[i];
    }
}

extern "C" vind_status_t vind_xapian_reader_term_in(vind_xapian_reader_t *reader,
                                                    const char *term, const uint32_t *docids,
                                                    size_t n, unsigned char *present,
                                                    char **errmsg)
{
    if (reader == nullptr || term == nullptr || (n && (docids == nullptr || present == nullptr)))
        return invalid(errmsg, "vind_xapian_reader_term_in",
                       "reader, term, docids or present is NULL");
    if (n)
        memset(present, 0, n);
    return catch_at_boundary(errmsg, "cannot read the posting list of", term, [&] {
        settle(reader->pool);
        if (reader->remote) {
            term_in_shards(reader, term, docids, n, present);
            return VIND_OK;
        }
        const Xapian::Database &database = reader->database;
        /* A results page asks for the same query terms as the last pages
         * did: a short list is read once per revision (opening a posting
         * list was ~3,000 instructions, ~4,700 a round of the 1,000 bench
         * requests, beside ~350 a skip). Without a cache the list is
         * skipped through: a whole list read per call would cost more. */
        if (reader->cacheable && reader->cache.budget() > 0 && n > 0) {
            KeyBytes key;
            key.add(term, std::strlen(term));
            const Lent list = read_cached(reader, key.key('t'),
                                          [&database, term] { return term_in_list(database, term); });
            if (list.size % sizeof(uint32_t) == 0) {
                mark_in_list(list, docids, n, present);
                return VIND_OK;
            }
        }
        Xapian::PostingIterator it = database.postlist_begin(term);
        const Xapian::PostingIterator end = database.postlist_end(term);
        for (size_t i = 0; i < n && it != end; i++) {
            it.skip_to(docids[i]);
            present[i] = it != end && *it == docids[i];
        }
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_reader_positions(vind_xapian_reader_t *reader, uint32_t docid,
                                                      const char *term, size_t max_positions,
                                                      uint32_t **positions, size_t *count,
                                                      char **errmsg)
{
    if (positions == nullptr || count == nullptr)
        return invalid(errmsg, "vind_xapian_reader_positions", "positions or count is NULL");
    *positions = nullptr;
    *count = 0;
    if (reader == nullptr || term == nullptr || *term == '\0' || docid == 0)
        return invalid(errmsg, "vind_xapian_reader_positions", "reader or term is NULL, or docid 0");
    return catch_at_boundary(errmsg, "cannot read positions in", reader->path.c_str(), [&] {
        settle(reader->pool);
        KeyBytes key;
        key.number(max_positions).number(docid).add(term, std::strlen(term));
        /* the positions as uint32_t, cached as bytes */
        const Lent found = read_cached(reader, key.key('p'), [reader, docid, term, max_positions] {
            std::string bytes;
            const Xapian::Database &database = reader->database;
            /* Gathered 64 at a time: a std::string append per position
             * was ~1,000 of the ~5,000 instructions of a list read
             * (callgrind, the snippets of the 1,000 bench requests). */
            uint32_t chunk[64];
            size_t n = 0, filled = 0;
            try {
                const Xapian::PositionIterator end = database.positionlist_end(docid, term);
                for (Xapian::PositionIterator it = database.positionlist_begin(docid, term);
                     it != end; ++it) {
                    chunk[filled++] = *it;
                    if (filled == sizeof chunk / sizeof *chunk) {
                        bytes.append(reinterpret_cast<const char *>(chunk), sizeof chunk);
                        filled = 0;
                    }
                    if (max_positions && ++n >= max_positions)
                        break;
                }
            } catch (const Xapian::DocNotFoundError &) {
                /* a document without the term's positions */
            }
            bytes.append(reinterpret_cast<const char *>(chunk), filled * sizeof *chunk);
            return bytes;
        });
        if (found.size == 0)
            return VIND_OK;
        *positions = static_cast<uint32_t *>(malloc(found.size));
        if (*positions == nullptr)
            return vind_error(errmsg, VIND_NOMEM, "cannot copy positions: out of memory");
        memcpy(*positions, found.data, found.size);
        *count = found.size / sizeof(uint32_t);
        return VIND_OK;
    });
}

/* The terms from it to end, at most max_terms (0: all), each with its
 * frequency. */
static std::vector<TermItem> listed_terms(Xapian::TermIterator it, const Xapian::TermIterator &end,
                                          size_t max_terms)
{
    std::vector<TermItem> found;
    for (; it != end; ++it) {
        if (max_terms != 0 && found.size() >= max_terms)
            break;
        found.push_back(TermItem{*it, 0, it.get_termfreq(), 0.0});
    }
    return found;
}

extern "C" vind_status_t vind_xapian_reader_all_terms(vind_xapian_reader_t *reader,
                                                      const char *prefix, size_t max_terms,
                                                      vind_xapian_terms_t **terms, char **errmsg)
{
    if (terms == nullptr)
        return invalid(errmsg, "vind_xapian_reader_all_terms", "terms is NULL");
    *terms = nullptr;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_all_terms", "reader is NULL");
    const char *start = prefix != nullptr ? prefix : "";
    return catch_at_boundary(errmsg, "cannot list the terms starting with", start, [&] {
        settle(reader->pool);
        const Xapian::Database &database = reader->database;
        return hand_out_terms(
            listed_terms(database.allterms_begin(start), database.allterms_end(start), max_terms),
            terms, errmsg);
    });
}

extern "C" vind_status_t vind_xapian_reader_spellings(vind_xapian_reader_t *reader,
                                                      vind_xapian_terms_t **terms, char **errmsg)
{
    if (terms == nullptr)
        return invalid(errmsg, "vind_xapian_reader_spellings", "terms is NULL");
    *terms = nullptr;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_spellings", "reader is NULL");
    return catch_at_boundary(errmsg, "cannot list the spelling dictionary", "", [&] {
        settle(reader->pool);
        const Xapian::Database &database = reader->database;
        return hand_out_terms(listed_terms(database.spellings_begin(), database.spellings_end(), 0),
                              terms, errmsg);
    });
}

/* A term of a wildcard's expansion more frequent than another. */
static bool more_frequent(const std::pair<std::string, Xapian::doccount> &a,
                          const std::pair<std::string, Xapian::doccount> &b)
{
    return a.second > b.second;
}

/*
 * Over shards Xapian 1.4 expands a wildcard in each shard, against that
 * shard's terms: a remote server weighs its own OR of terms, so equal-looking
 * hits could come out in another order than one database gives them, and
 * local shards scale every score. Expanded here, against the terms of all
 * shards (the combined term list: remote databases list theirs too, one
 * round trip each), every shard weighs the same synonym of the same terms
 * with the statistics Xapian merges over them: the order and scores of one
 * database. Past max_expansion terms, the most frequent are kept as
 * Xapian's LIMIT_MOST_FREQUENT keeps them in one database: std::nth_element
 * over the terms in term order by their document frequency (summed over
 * the shards, so equal to one database's), which picks the same terms at a
 * tie as Xapian does (an order of its own chose other tied terms, and other
 * scores, when 10 wildcards of 40 terms each were cut). One database keeps
 * Xapian's own expansion (unchanged answers), as does a shard that cannot
 * be listed (the search then meets it and says so). Cost: a walk of the
 * terms starting with prefix on every shard (remote: one round trip each).
 */
extern "C" vind_xapian_query_t *vind_xapian_reader_wildcard(vind_xapian_reader_t *reader,
                                                            const char *prefix,
                                                            uint32_t max_expansion)
{
    /* One database (or a replica's stub of one): Xapian's own expansion. */
    if (reader == nullptr || reader->shards.size() < 2 || prefix == nullptr || *prefix == '\0')
        return vind_xapian_query_wildcard(prefix, max_expansion);
    try {
        settle(reader->pool);
        std::vector<std::pair<std::string, Xapian::doccount>> terms;
        for (Xapian::TermIterator it = reader->database.allterms_begin(prefix);
             it != reader->database.allterms_end(prefix); ++it)
            terms.emplace_back(*it, it.get_termfreq());
        if (max_expansion != 0 && terms.size() > max_expansion) {
            std::nth_element(terms.begin(), terms.begin() + (max_expansion - 1), terms.end(),
                             more_frequent);
            terms.resize(max_expansion);
        }
        std::vector<Xapian::Query> leaves;
        leaves.reserve(terms.size());
        for (const auto &term : terms)
            leaves.emplace_back(term.first);
        return new vind_xapian_query{
            leaves.empty() ? Xapian::Query::MatchNothing
                           : Xapian::Query(Xapian::Query::OP_SYNONYM, leaves.begin(), leaves.end())};
    } catch (const std::bad_alloc &) {
        return nullptr;
    } catch (...) {
        return vind_xapian_query_wildcard(prefix, max_expansion);
    }
}

/* The read check of vind_xapian_reader_check over database (one, or the
 * local shards combined) whose metadata lives in parts (empty: itself). */
static vind_status_t check_database(const Xapian::Database &database,
                                    const std::vector<Xapian::Database> &parts, const char *path,
                                    char **errmsg);

extern "C" vind_status_t vind_xapian_reader_check(vind_xapian_reader_t *reader, char **errmsg)
{
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_reader_check", "reader is NULL");
    if (!reader->remote)
        return check_database(reader->database, reader->shards, reader->path.c_str(), errmsg);
    /* Remote shards are checked where their files are (xapian-check on
     * their machine): read over the network, the check of 3,000 documents
     * took 27 s of round trips and held vind-searchd's start. */
    return catch_at_boundary(errmsg, "the read check failed on", reader->path.c_str(), [&] {
        settle(reader->pool);
        Xapian::Database local;
        std::vector<Xapian::Database> parts;
        for (size_t s = 0; s < reader->shards.size(); s++)
            if (!reader->shard_remote[s]) {
                local.add_database(reader->shards[s]);
                parts.push_back(reader->shards[s]);
            }
        if (parts.empty())
            return VIND_OK;
        return check_database(local, parts, reader->path.c_str(), errmsg);
    });
}

static vind_status_t check_database(const Xapian::Database &database,
                                    const std::vector<Xapian::Database> &shards, const char *path,
                                    char **errmsg)
{
    return catch_at_boundary(errmsg, "the read check failed on", path, [&] {
        /* Every document's length (the chunks every ranked search reads)
         * and stored record (every hit reads its own). */
        Xapian::doccount lengths = 0;
        Xapian::docid first = 0;
        for (Xapian::PostingIterator it = database.postlist_begin("");
             it != database.postlist_end(""); ++it) {
            (void)it.get_doclength();
            (void)database.get_document(*it, Xapian::DOC_ASSUME_VALID).get_data();
            if (lengths++ == 0)
                first = *it;
        }
        /* Every metadata value: the page text and maps snippets read (vind's
         * text store) and the indexer's file records, in the postlist table. */
        std::vector<Xapian::Database> parts = shards;
        if (parts.empty())
            parts.push_back(database);
        for (const Xapian::Database &part : parts)
            for (Xapian::TermIterator it = part.metadata_keys_begin();
                 it != part.metadata_keys_end(); ++it)
                (void)part.get_metadata(*it);
        /* The value streams (dates, facets, URLs: in the postlist table
         * too) of the first slots, which every faceted search reads. */
        for (Xapian::valueno slot = 0; slot < 16; slot++)
            if (database.get_value_freq(slot) != 0)
                for (Xapian::ValueIterator it = database.valuestream_begin(slot);
                     it != database.valuestream_end(slot); ++it)
                    (void)*it;
        /* Every term with its frequency: walks the leaves of the postlist
         * table, where each word's postings live. */
        for (Xapian::TermIterator it = database.allterms_begin(); it != database.allterms_end();
             ++it)
            (void)it.get_termfreq();
        /* The first and last documents' terms (termlist; the related
         * articles read it, searches do not). */
        for (Xapian::docid docid : {first, database.get_lastdocid()}) {
            if (docid == 0)
                continue;
            try {
                Xapian::Document document = database.get_document(docid);
                for (Xapian::TermIterator it = document.termlist_begin();
                     it != document.termlist_end(); ++it)
                    (void)it.get_wdf();
            } catch (const Xapian::DocNotFoundError &) {
                /* the last docid was deleted: nothing to read there */
            }
        }
        if (lengths != database.get_doccount())
            return vind_error(errmsg, VIND_INDEX_CORRUPT,
                              "the index %s lists %u document lengths for %u documents", path,
                              (unsigned)lengths, (unsigned)database.get_doccount());
        return VIND_OK;
    });
}

/* Metadata key at the reader's revision, lent ("" when absent): through
 * the cache; over shards, from the shard the key routes to. */
static std::string fetch_metadata(vind_xapian_reader_t *reader, const char *key)
{
    if (reader->shards.empty())
        return reader->database.get_metadata(key);
    std::string routed;
    size_t shard = route_key(key, reader->shards.size(), &routed);
    settle(reader->pool, shard);
    return reader->shards[shard].get_metadata(routed);
}

static Lent read_metadata(vind_xapian_reader_t *reader, const char *key)
{
    return read_cached(reader, CacheKey{'m', key, std::strlen(key)},
                       [reader, key] { return fetch_metadata(reader, key); });
}

static vind_status_t no_metadata(const vind_xapian_reader_t *reader, const char *key,
                                 char **errmsg)
{
    return vind_error(errmsg, VIND_NOT_FOUND, "no metadata %s in Xapian database %s", key,
                      reader->path.c_str());
}

extern "C" vind_status_t vind_xapian_reader_get_metadata(vind_xapian_reader_t *reader,
                                                         const char *key, char **value,
                                                         size_t *length, char **errmsg)
{
    if (value == nullptr)
        return invalid(errmsg, "vind_xapian_reader_get_metadata", "value is NULL");
    *value = nullptr;
    if (length != nullptr)
        *length = 0;
    if (reader == nullptr || key == nullptr || *key == '\0')
        return invalid(errmsg, "vind_xapian_reader_get_metadata",
                       "reader or key is NULL, or key is empty");
    return catch_at_boundary(errmsg, "cannot read metadata", key, [&] {
        const Lent text = read_metadata(reader, key);
        if (text.size == 0)
            return no_metadata(reader, key, errmsg);
        return hand_out(text, value, length, errmsg, "metadata");
    });
}

extern "C" vind_status_t vind_xapian_reader_lend_metadata(vind_xapian_reader_t *reader,
                                                          const char *key, const char **value,
                                                          size_t *length, vind_xapian_lent_t **lent,
                                                          char **errmsg)
{
    if (value == nullptr || length == nullptr || lent == nullptr)
        return invalid(errmsg, "vind_xapian_reader_lend_metadata", "value, length or lent is NULL");
    *value = nullptr;
    *length = 0;
    *lent = nullptr;
    if (reader == nullptr || key == nullptr || *key == '\0')
        return invalid(errmsg, "vind_xapian_reader_lend_metadata",
                       "reader or key is NULL, or key is empty");
    return catch_at_boundary(errmsg, "cannot read metadata", key, [&] {
        std::unique_ptr<vind_xapian_lent> held(new vind_xapian_lent);
        const CacheKey cache_key{'m', key, std::strlen(key)};
        ReadCache::Entry *entry = reader->cacheable ? reader->cache.find_entry(cache_key) : nullptr;
        if (entry == nullptr) {
            held->owned = fetch_metadata(reader, key);
            if (reader->cacheable)
                entry = reader->cache.put(cache_key, held->owned.data(), held->owned.size());
        }
        if (entry != nullptr) {
            ReadCache::hold(entry);
            held->entry = entry;
            held->owned.clear();
        }
        const char *data = entry != nullptr ? entry->value() : held->owned.data();
        const size_t size = entry != nullptr ? entry->value_size : held->owned.size();
        if (size == 0)
            return no_metadata(reader, key, errmsg); /* held lets go */
        *value = data;
        *length = size;
        *lent = held.release();
        return VIND_OK;
    });
}

extern "C" void vind_xapian_lent_free(vind_xapian_lent_t *lent)
{
    delete lent; /* lets go of its entry */
}

extern "C" vind_status_t vind_xapian_reader_read_metadata(vind_xapian_reader_t *reader,
                                                          const char *key, char *buffer,
                                                          size_t room, size_t *length,
                                                          char **errmsg)
{
    if (length == nullptr || (buffer == nullptr && room > 0))
        return invalid(errmsg, "vind_xapian_reader_read_metadata",
                       "length is NULL, or buffer NULL with room");
    *length = 0;
    if (reader == nullptr || key == nullptr || *key == '\0')
        return invalid(errmsg, "vind_xapian_reader_read_metadata",
                       "reader or key is NULL, or key is empty");
    return catch_at_boundary(errmsg, "cannot read metadata", key, [&] {
        const Lent text = read_metadata(reader, key);
        if (text.size == 0)
            return no_metadata(reader, key, errmsg);
        std::memcpy(buffer, text.data, std::min(room, text.size));
        *length = text.size;
        return VIND_OK;
    });
}

extern "C" vind_status_t vind_xapian_reader_spelling_suggestion(vind_xapian_reader_t *reader,
                                                                const char *word,
                                                                unsigned max_edit_distance,
                                                                char **suggestion, char **errmsg)
{
    if (suggestion == nullptr)
        return invalid(errmsg, "vind_xapian_reader_spelling_suggestion", "suggestion is NULL");
    *suggestion = nullptr;
    if (reader == nullptr || word == nullptr)
        return invalid(errmsg, "vind_xapian_reader_spelling_suggestion", "reader or word is NULL");
    if (*word == '\0')
        return VIND_OK;
    return catch_at_boundary(errmsg, "cannot suggest a spelling for", word, [&] {
        settle(reader->pool);
        std::string best;
        /* One spelling table (the sharded writer keeps it in the first
         * shard; Xapian's remote protocol does not carry it). */
        /* Xapian's look-up walks the trigram lists of the word (~6% of a
         * search's instructions on the bench queries): kept in the read
         * cache for a plain database, whose spelling table is the one its
         * revision covers (a stub's "#vind-spelling" copy has its own). */
        auto suggest = [reader, word, max_edit_distance] {
            return reader->spelling.get_spelling_suggestion(word, max_edit_distance);
        };
        if (reader->has_spelling && reader->shards.empty()) {
            KeyBytes key;
            key.number(max_edit_distance).add(word, std::strlen(word));
            const Lent lent = read_cached(reader, key.key('s'), suggest);
            best.assign(lent.data, lent.size);
        } else if (reader->has_spelling) {
            best = suggest();
        }
        if (best.empty() || best == word)
            return VIND_OK;
        return hand_out(best, suggestion, nullptr, errmsg, "a spelling suggestion");
    });
}

extern "C" vind_status_t vind_xapian_reader_synonyms(vind_xapian_reader_t *reader, const char *term,
                                                     vind_xapian_terms_t **synonyms, char **errmsg)
{
    if (synonyms == nullptr)
        return invalid(errmsg, "vind_xapian_reader_synonyms", "synonyms is NULL");
    *synonyms = nullptr;
    if (reader == nullptr || term == nullptr || *term == '\0')
        return invalid(errmsg, "vind_xapian_reader_synonyms", "reader or term is NULL or empty");
    return catch_at_boundary(errmsg, "cannot list the synonyms of", term, [&] {
        settle(reader->pool);
        std::vector<TermItem> found;
        const Xapian::Database &database = reader->database;
        for (Xapian::TermIterator it = database.synonyms_begin(term);
             it != database.synonyms_end(term); ++it)
            found.push_back(TermItem{*it, 0, 0, 0.0});
        return hand_out_terms(found, synonyms, errmsg, "synonyms");
    });
}

/* -------------------------------------------------------------- queries */

extern "C" vind_xapian_query_t *vind_xapian_query_term(const char *term, uint32_t wqf,
                                                       uint32_t position)
{
    if (term == nullptr || *term == '\0')
        return nullptr;
    try {
        return new vind_xapian_query{Xapian::Query(term, wqf, position)};
    } catch (...) {
        return nullptr;
    }
}

extern "C" vind_xapian_query_t *vind_xapian_query_match_all(void)
{
    try {
        /* Not Xapian::Query::MatchAll: that static's reference count is
         * shared by every thread without atomics (notmuch commit 6273966d). */
        return new vind_xapian_query{Xapian::Query(std::string())};
    } catch (...) {
        return nullptr;
    }
}

extern "C" vind_xapian_query_t *vind_xapian_query_copy(const vind_xapian_query_t *query)
{
    if (query == nullptr)
        return nullptr;
    try {
        /* Xapian::Query is a reference-counted handle: a copy shares the
         * tree, which is never changed after it is built. */
        return new vind_xapian_query{query->query};
    } catch (...) {
        return nullptr;
    }
}

extern "C" vind_xapian_query_t *vind_xapian_query_match_nothing(void)
{
    try {
        return new vind_xapian_query{Xapian::Query()};
    } catch (...) {
        return nullptr;
    }
}

extern "C" vind_xapian_query_t *
vind_xapian_query_compound(vind_xapian_op_t op, vind_xapian_query_t *const *children, size_t count)
{
    bool known = false;
    Xapian::Query::op xapian_op = to_xapian_op(op, &known);
    if (!known) {
        free_children(children, count);
        return nullptr;
    }
    return combine(xapian_op, children, count, 0);
}

extern "C" vind_xapian_query_t *vind_xapian_query_elite_set(vind_xapian_query_t *const *children,
                                                            size_t count, uint32_t elite_size)
{
    if (elite_size == 0) {
        free_children(children, count);
        return nullptr;
    }
    return combine(Xapian::Query::OP_ELITE_SET, children, count, elite_size);
}

extern "C" vind_xapian_query_t *vind_xapian_query_phrase(vind_xapian_query_t *const *children,
                                                         size_t count, uint32_t window)
{
    return combine(Xapian::Query::OP_PHRASE, children, count, window);
}

extern "C" vind_xapian_query_t *vind_xapian_query_near(vind_xapian_query_t *const *children,
                                                       size_t count, uint32_t window)
{
    return combine(Xapian::Query::OP_NEAR, children, count, window);
}

extern "C" vind_xapian_query_t *vind_xapian_query_scale_weight(vind_xapian_query_t *query,
                                                               double factor)
{
    if (query == nullptr)
        return nullptr;
    vind_xapian_query_t *result = nullptr;
    try {
        if (factor >= 0.0)
            result = new vind_xapian_query{
                Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query->query, factor)};
    } catch (...) {
        result = nullptr;
    }
    delete query;
    return result;
}

extern "C" vind_xapian_query_t *vind_xapian_query_value_range(uint32_t slot, const char *low,
                                                              size_t low_length, const char *high,
                                                              size_t high_length)
{
    if (slot == VIND_XAPIAN_NO_SLOT)
        return nullptr;
    try {
        if (low != nullptr && high != nullptr)
            return new vind_xapian_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot,
                                                       std::string(low, low_length),
                                                       std::string(high, high_length))};
        if (high != nullptr)
            return new vind_xapian_query{
                Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, std::string(high, high_length))};
        return new vind_xapian_query{
            Xapian::Query(Xapian::Query::OP_VALUE_GE, slot,
                          low != nullptr ? std::string(low, low_length) : std::string())};
    } catch (...) {
        return nullptr;
    }
}

extern "C" vind_xapian_query_t *vind_xapian_query_value_ge(uint32_t slot, const char *low,
                                                           size_t length)
{
    if (low == nullptr && length > 0)
        return nullptr;
    return vind_xapian_query_value_range(slot, low != nullptr ? low : "", length, nullptr, 0);
}

extern "C" vind_xapian_query_t *vind_xapian_query_value_le(uint32_t slot, const char *high,
                                                           size_t length)
{
    if (high == nullptr && length > 0)
        return nullptr;
    return vind_xapian_query_value_range(slot, nullptr, 0, high != nullptr ? high : "", length);
}

extern "C" vind_xapian_query_t *vind_xapian_query_wildcard(const char *prefix,
                                                           uint32_t max_expansion)
{
    if (prefix == nullptr || *prefix == '\0')
        return nullptr;
    try {
        /* LIMIT_MOST_FREQUENT: "zorg*" over a large site expands to hundreds
         * of compounds; keep the common ones rather than fail the search. */
        return new vind_xapian_query{
            Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, max_expansion,
                          max_expansion == 0 ? Xapian::Query::WILDCARD_LIMIT_ERROR
                                             : Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT)};
    } catch (...) {
        return nullptr;
    }
}

extern "C" void vind_xapian_query_free(vind_xapian_query_t *query)
{
    delete query;
}

extern "C" char *vind_xapian_query_describe(const vind_xapian_query_t *query)
{
    if (query == nullptr)
        return nullptr;
    try {
        return copy_bytes(query->query.get_description());
    } catch (...) {
        return nullptr;
    }
}

/* A steady-clock read (~20 ns) when a budget is set; nothing otherwise. */
static bool budget_spent(const vind_xapian_reader_t *reader)
{
    return reader != nullptr && reader->has_deadline &&
           std::chrono::steady_clock::now() >= reader->deadline;
}

extern "C" void vind_xapian_reader_set_cache(vind_xapian_reader_t *reader, size_t bytes)
{
    if (reader != nullptr) {
        reader->cache.set_budget(bytes);
        reader->ordinals.set_limit(bytes);
        if (bytes == 0) {
            reader->ordinals.clear();
            reader->ranks.clear();
            reader->keyed.clear();
        }
    }
}

extern "C" size_t vind_xapian_reader_cache_bytes(const vind_xapian_reader_t *reader)
{
    return reader != nullptr ? reader->cache.used() : 0;
}

extern "C" void vind_xapian_reader_set_budget(vind_xapian_reader_t *reader, double seconds)
{
    if (reader == nullptr)
        return;
    reader->has_deadline = seconds > 0;
    if (reader->has_deadline)
        reader->deadline = std::chrono::steady_clock::now() +
                           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(seconds));
}

extern "C" int vind_xapian_reader_budget_spent(const vind_xapian_reader_t *reader)
{
    return budget_spent(reader);
}

/* -------------------------------------------------------------- enquire */

extern "C" vind_status_t vind_xapian_enquire_new(vind_xapian_reader_t *reader,
                                                 vind_xapian_enquire_t **enquire, char **errmsg)
{
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_new", "enquire is NULL");
    *enquire = nullptr;
    if (reader == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_new", "reader is NULL");
    try {
        settle(reader->pool);
        *enquire =
            new vind_xapian_enquire{reader, Xapian::Enquire(reader->database), Xapian::Query(), {}, false,
                                    nullptr, Xapian::BAD_VALUENO, Xapian::BAD_VALUENO, nullptr, nullptr, {}};
        (*enquire)->enquire.set_weighting_scheme(Xapian::BM25Weight());
        return VIND_OK;
    } catch (...) {
        delete *enquire;
        *enquire = nullptr;
        return translate_exception(errmsg, "cannot prepare a search of Xapian database",
                                   reader->path.c_str());
    }
}

extern "C" void vind_xapian_enquire_free(vind_xapian_enquire_t *enquire)
{
    delete enquire;
}

/* Sets query on enquire: a deep copy, or (shared) a handle on the same tree. */
static vind_status_t set_query_as(vind_xapian_enquire_t *enquire, const vind_xapian_query_t *query,
                                  bool shared, const char *function, char **errmsg)
{
    if (enquire == nullptr || query == nullptr)
        return invalid(errmsg, function, "enquire or query is NULL");
    try {
        /* A deep copy (through serialisation) shares no reference counts with
         * the caller's query, which may then be freed from any thread. The
         * registry unserialise reads (which names no posting source of
         * ours) is made once per thread: a default one made and dropped per
         * run cost ~16,000 instructions, 1.5% of a search. A shared handle
         * is safe because the tree is never changed after it is built
         * (vind_xapian_query_copy) and its caller keeps the counts to one
         * thread. */
        static thread_local const Xapian::Registry registry;
        enquire->query = shared ? query->query
                                : Xapian::Query::unserialise(query->query.serialise(), registry);
        enquire->enquire.set_query(enquire->query);
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot set the query of a search of",
                                   enquire->reader->path.c_str());
    }
}

extern "C" vind_status_t vind_xapian_enquire_set_query(vind_xapian_enquire_t *enquire,
                                                       const vind_xapian_query_t *query,
                                                       char **errmsg)
{
    return set_query_as(enquire, query, false, "vind_xapian_enquire_set_query", errmsg);
}

extern "C" vind_status_t vind_xapian_enquire_set_query_shared(vind_xapian_enquire_t *enquire,
                                                              const vind_xapian_query_t *query,
                                                              char **errmsg)
{
    return set_query_as(enquire, query, true, "vind_xapian_enquire_set_query_shared", errmsg);
}

extern "C" vind_status_t vind_xapian_enquire_set_bm25(vind_xapian_enquire_t *enquire, double k1,
                                                      double k2, double k3, double b,
                                                      double min_normlen, char **errmsg)
{
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_set_bm25", "enquire is NULL");
    if (!(k1 >= 0 && k2 >= 0 && k3 >= 0 && b >= 0 && min_normlen >= 0))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "vind_xapian_enquire_set_bm25: negative parameter (k1 %g, k2 %g, k3 "
                          "%g, b %g, min_normlen %g)",
                          k1, k2, k3, b, min_normlen);
    try {
        enquire->enquire.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot set BM25 weighting on",
                                   enquire->reader->path.c_str());
    }
}

extern "C" vind_status_t vind_xapian_enquire_sort_by_relevance(vind_xapian_enquire_t *enquire,
                                                               char **errmsg)
{
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_sort_by_relevance", "enquire is NULL");
    try {
        enquire->enquire.set_sort_by_relevance();
        enquire->by_relevance = true;
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot sort by relevance on",
                                   enquire->reader->path.c_str());
    }
}

extern "C" vind_status_t
vind_xapian_enquire_sort_by_value_then_relevance(vind_xapian_enquire_t *enquire, uint32_t slot,
                                                 int reverse, char **errmsg)
{
    if (enquire == nullptr || slot == VIND_XAPIAN_NO_SLOT)
        return invalid(errmsg, "vind_xapian_enquire_sort_by_value_then_relevance",
                       "enquire is NULL or slot is VIND_XAPIAN_NO_SLOT");
    try {
        enquire->enquire.set_sort_by_value_then_relevance(slot, reverse != 0);
        enquire->by_relevance = false;
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot sort by value on",
                                   enquire->reader->path.c_str());
    }
}

extern "C" vind_status_t vind_xapian_enquire_set_docid_order(vind_xapian_enquire_t *enquire,
                                                             vind_xapian_docid_order_t order,
                                                             char **errmsg)
{
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_set_docid_order", "enquire is NULL");
    Xapian::Enquire::docid_order xapian_order;
    switch (order) {
    case VIND_XAPIAN_DOCID_ASCENDING:
        xapian_order = Xapian::Enquire::ASCENDING;
        break;
    case VIND_XAPIAN_DOCID_DESCENDING:
        xapian_order = Xapian::Enquire::DESCENDING;
        break;
    case VIND_XAPIAN_DOCID_DONT_CARE:
        xapian_order = Xapian::Enquire::DONT_CARE;
        break;
    default:
        return invalid(errmsg, "vind_xapian_enquire_set_docid_order", "unknown order");
    }
    try {
        enquire->enquire.set_docid_order(xapian_order);
        enquire->docids_ascending = xapian_order == Xapian::Enquire::ASCENDING;
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot set the docid order on",
                                   enquire->reader->path.c_str());
    }
}

extern "C" vind_status_t vind_xapian_enquire_set_collapse_key(vind_xapian_enquire_t *enquire,
                                                              uint32_t slot, char **errmsg)
{
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_set_collapse_key", "enquire is NULL");
    try {
        enquire->collapsing = slot != VIND_XAPIAN_NO_SLOT;
        /* One local database: collapsed after the run from the match
         * counter's keys (its docids are global there), not by Xapian's
         * collapser, which reads the key slot per match (~70 M
         * instructions over the 1,000 bench requests; docs/ranking.md). */
        enquire->collapse_after =
            enquire->collapsing && !enquire->reader->remote && enquire->reader->shards.empty();
        enquire->collapse_slot = slot;
        enquire->enquire.set_collapse_key(enquire->collapse_after ? Xapian::BAD_VALUENO : slot);
        if (enquire->collapsing && !enquire->matched) {
            vind_xapian_reader *reader = enquire->reader;
            const bool sharded = !reader->shards.empty();
            /* Kept as the value ranks are: only at a revision that stays
             * put (a cacheable reader), within the cache's budget. */
            const KeyedDocs *table = nullptr;
            if (!sharded && reader->cacheable && reader->cache.budget() > 0 &&
                (reader->keyed.built_for(slot) ||
                 KeyedDocs::bytes(reader->database, slot) <= reader->cache.budget())) {
                if (!reader->keyed.built_for(slot))
                    reader->keyed.build(reader->database, slot);
                table = &reader->keyed;
            }
            enquire->matched.reset(new MatchCounter(reader->database, slot, sharded, table));
            if (enquire->reader->remote)
                enquire->key_slot = slot;
        }
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot set the collapse key on",
                                   enquire->reader->path.c_str());
    }
}

extern "C" vind_status_t vind_xapian_enquire_set_percents(vind_xapian_enquire_t *enquire, int on,
                                                          char **errmsg)
{
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_set_percents", "enquire is NULL");
    enquire->percents = on != 0;
    return VIND_OK;
}

extern "C" vind_status_t vind_xapian_enquire_set_cutoff(vind_xapian_enquire_t *enquire, int percent,
                                                        char **errmsg)
{
    if (enquire == nullptr || percent < 0 || percent > 100)
        return invalid(errmsg, "vind_xapian_enquire_set_cutoff",
                       "enquire is NULL or percent is outside 0-100");
    try {
        enquire->enquire.set_cutoff(percent, 0);
        enquire->cut = percent > 0;
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot set the cutoff on",
                                   enquire->reader->path.c_str());
    }
}

extern "C" void vind_xapian_facet_free(vind_xapian_facet_t *facet)
{
    if (facet == nullptr)
        return;
    std::free(facet->items); /* and the values after them */
    std::free(facet);
}

/* Slot index's counts as a vind_xapian_facet_t: count descending, then
 * value ascending (CountSpy::ordered_counts). */
static vind_status_t copy_counts(CountSpy &counter, size_t index, vind_xapian_enquire_t *enquire,
                                 vind_xapian_facet_t **result, char **errmsg)
{
    using entry_t = std::pair<const std::string *, uint32_t>;
    std::vector<entry_t> sorted;
    try {
        counter.ordered_counts(index, sorted);
    } catch (...) {
        return translate_exception(errmsg, "cannot sort facet values of",
                                   enquire->reader->path.c_str());
    }
    /* The items and their values in one block, the values after the
     * items: a malloc, a copy and a free of each value (~57,000 values of
     * the 1,000 bench requests, ~70 instructions each) were 4 M
     * instructions a round. */
    size_t bytes = sorted.size() * sizeof(vind_xapian_facet_value_t);
    for (const entry_t &entry : sorted)
        bytes += entry.first->size() + 1;
    vind_xapian_facet_t *list =
        static_cast<vind_xapian_facet_t *>(std::calloc(1, sizeof(vind_xapian_facet_t)));
    void *block = sorted.empty() ? nullptr : std::malloc(bytes);
    if (list == nullptr || (!sorted.empty() && block == nullptr)) {
        std::free(list);
        std::free(block);
        return vind_error(errmsg, VIND_NOMEM, "cannot copy facet values: out of memory");
    }
    list->items = static_cast<vind_xapian_facet_value_t *>(block);
    char *text = static_cast<char *>(block) + sorted.size() * sizeof(vind_xapian_facet_value_t);
    for (const entry_t &entry : sorted) {
        std::memcpy(text, entry.first->data(), entry.first->size());
        text[entry.first->size()] = '\0';
        list->items[list->count++] = vind_xapian_facet_value_t{text, entry.second};
        text += entry.first->size() + 1;
    }
    *result = list;
    return VIND_OK;
}

extern "C" vind_status_t vind_xapian_enquire_count_slots(vind_xapian_enquire_t *enquire,
                                                         const vind_xapian_count_slot_t *slots,
                                                         size_t n, int exclusive,
                                                         vind_xapian_value_test_t test,
                                                         void *data, char **errmsg)
{
    bool filtered = false;
    for (size_t i = 0; slots != nullptr && i < n; i++)
        filtered = filtered || slots[i].filtered;
    if (enquire == nullptr || (n > 0 && slots == nullptr) || (filtered && test == nullptr) ||
        enquire->counter)
        return invalid(errmsg, "vind_xapian_enquire_count_slots",
                       "enquire or slots is NULL, a filter without a test, or slots counted "
                       "already");
    /* No slots over remote shards: nothing to count, and no spy could end
     * the run there (run_counting). */
    if (n == 0 && enquire->reader->remote)
        return VIND_OK;
    try {
        vind_xapian_reader *reader = enquire->reader;
        /* Not over shards: a spy there sees each shard's own docids, which
         * collide (test_shards.py fails with them). */
        PackedOrdinals *ordinals =
            reader->cacheable && reader->cache.budget() > 0 && reader->shards.empty()
                ? &reader->ordinals
                : nullptr;
        enquire->counter.reset(new CountSpy(slots, n, exclusive != 0, test, data, ordinals));
        if (!enquire->reader->remote)
            return VIND_OK; /* a spy of each run (attach_spies) */
        enquire->packed_slot = enquire->counter->every_slot_packed();
        if (enquire->packed_slot == Xapian::BAD_VALUENO) {
            enquire->counter.reset();
            return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                              "%s has remote shards: counting facets there needs the packed "
                              "facets value on every document (reindex with --full)",
                              enquire->reader->path.c_str());
        }
        return VIND_OK;
    } catch (...) {
        enquire->counter.reset();
        return translate_exception(errmsg, "cannot count values in a search of",
                                   enquire->reader->path.c_str());
    }
}

extern "C" vind_status_t vind_xapian_enquire_slot_counts(vind_xapian_enquire_t *enquire,
                                                         size_t index,
                                                         vind_xapian_facet_t **values,
                                                         uint64_t *none, char **errmsg)
{
    if (values == nullptr || none == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_slot_counts", "values or none is NULL");
    *values = nullptr;
    *none = 0;
    if (enquire == nullptr || !enquire->counter || index >= enquire->counter->slot_count())
        return invalid(errmsg, "vind_xapian_enquire_slot_counts", "no such counted slot");
    *none = enquire->counter->none(index);
    return copy_counts(*enquire->counter, index, enquire, values, errmsg);
}

extern "C" uint64_t vind_xapian_enquire_passed(const vind_xapian_enquire_t *enquire)
{
    return enquire != nullptr && enquire->counter ? enquire->counter->passed() : 0;
}

extern "C" void vind_xapian_enquire_bounds(const vind_xapian_enquire_t *enquire, uint64_t *lower,
                                           uint64_t *upper)
{
    *lower = enquire != nullptr ? enquire->last_lower : 0;
    *upper = enquire != nullptr ? enquire->last_upper : 0;
}

extern "C" uint64_t vind_xapian_enquire_seen(const vind_xapian_enquire_t *enquire)
{
    return enquire != nullptr && enquire->counter ? enquire->counter->seen() : 0;
}

extern "C" vind_status_t vind_xapian_enquire_set_boolean(vind_xapian_enquire_t *enquire,
                                                         char **errmsg)
{
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_set_boolean", "enquire is NULL");
    try {
        /* Not BoolWeight: Xapian 1.4.22 swaps an unweighted term that every
         * document holds for its all-documents list, and once documents
         * were deleted from a posting list of several chunks, a pass that
         * checks every match throws "DatabaseCorruptError: Unexpected end
         * of posting list" (1,200 documents with the term, 2 deleted; the
         * index itself is sound: xapian-check, plain iteration and a
         * weighted pass all read it). TF-IDF "bnn" weighs a matching term
         * 1 (wdf as a boolean, no idf, no length): it reads the wdf, so the
         * swap never happens, and no term weighs 0, so no match is pruned
         * (BM25 with every parameter 0 gave common terms weight 0 and lost
         * matches of an any-word query: fallback_total 303 for 307). A
         * scheme stock xapian-tcpsrv knows (remote shards). Only the
         * counting pass uses it; its order is never read. */
        enquire->enquire.set_weighting_scheme(Xapian::TfIdfWeight("bnn"));
        return VIND_OK;
    } catch (...) {
        return translate_exception(errmsg, "cannot set boolean weighting on",
                                   enquire->reader->path.c_str());
    }
}

extern "C" void vind_xapian_mset_free(vind_xapian_mset_t *mset)
{
    if (mset == nullptr)
        return;
    std::free(mset->docids);
    std::free(mset->weights);
    std::free(mset->percents);
    for (size_t i = 0; mset->collapse_keys != nullptr && i < mset->count; i++)
        std::free(mset->collapse_keys[i]);
    std::free(mset->collapse_keys);
    std::free(mset->collapse_counts);
    std::free(mset);
}

/* Xapian 1.4's relevance order (its msetcmp_by_relevance with docids
 * ascending): the greater weight first, equal weights by ascending docid.
 * A function object, so that the sorts inline it. */
struct RanksBefore {
    bool operator()(const RankedMatch &a, const RankedMatch &b) const
    {
        if (a.wt > b.wt)
            return true;
        if (a.wt < b.wt)
            return false;
        return a.did < b.did;
    }
};

struct DocidBefore {
    bool operator()(const RankedMatch &a, const RankedMatch &b) const
    {
        return a.did < b.did;
    }
};

/* Puts the first keep of matches in Xapian's relevance order (the rest
 * after them, in no order): the page's head selected in linear time, then
 * sorted (a heap's partial sort cost ~4 times as much over the bench
 * requests: ~320 instructions a match against ~80). */
static void rank_head(std::vector<RankedMatch> &matches, size_t keep)
{
    if (keep < matches.size())
        std::nth_element(matches.begin(), matches.begin() + keep, matches.end(), RanksBefore());
    std::sort(matches.begin(), matches.begin() + std::min(keep, matches.size()), RanksBefore());
}

/* The matches of a run in their order: the run's MSet, or the run's own
 * order when it ranked itself (run_feeding's ranked, not empty then). */
class RunOrder
{
  public:
    RunOrder(const Xapian::MSet &mset, const std::vector<RankedMatch> &own)
        : mset_(mset), own_(own)
    {
    }
    Xapian::doccount size() const
    {
        return own_.empty() ? mset_.size() : own_.size();
    }
    Xapian::docid docid(Xapian::doccount i) const
    {
        return own_.empty() ? *mset_[i] : own_[i].did;
    }
    double weight(Xapian::doccount i) const
    {
        return own_.empty() ? mset_[i].get_weight() : own_[i].wt;
    }
    /* Xapian's percent; 0 in a run's own order (no percents asked for). */
    int percent(Xapian::doccount i) const
    {
        return own_.empty() ? mset_.convert_to_percent(mset_[i]) : 0;
    }
    const Xapian::MSet &mset() const
    {
        return mset_;
    }

  private:
    const Xapian::MSet &mset_;
    const std::vector<RankedMatch> &own_;
};

/* Each entry's collapse count and key into page (count entries: the items
 * of matches at listed). Collapsed after the run (after), they come from the
 * match counter, which saw every match: the others of its key. Throws what
 * Xapian throws; VIND_NOMEM when memory runs out. */
static vind_status_t copy_collapse(const RunOrder &matches,
                                   const std::vector<Xapian::doccount> &listed, bool after,
                                   vind_xapian_mset_t *page, const vind_xapian_enquire_t *enquire)
{
    if (page->count == 0)
        return VIND_OK;
    page->collapse_counts = static_cast<uint32_t *>(std::calloc(page->count, sizeof(uint32_t)));
    page->collapse_keys = static_cast<char **>(std::calloc(page->count, sizeof(char *)));
    if (page->collapse_counts == nullptr || page->collapse_keys == nullptr)
        return VIND_NOMEM;
    for (size_t i = 0; i < page->count; i++) {
        std::string key;
        if (after) {
            auto found = enquire->matched->key_of.find(matches.docid(listed[i]));
            if (found != enquire->matched->key_of.end())
                key = found->second;
        } else {
            /* Collapsed in the run: Xapian ordered and kept the matches. */
            const Xapian::MSetIterator it = matches.mset()[listed[i]];
            page->collapse_counts[i] = static_cast<uint32_t>(it.get_collapse_count());
            key = it.get_collapse_key();
        }
        if ((after || enquire->stock_keys) && !key.empty()) {
            /* Xapian's count is 0 for remote hits (Xapian 1.4 loses it),
             * and absent after the run: the others of its key among the
             * matches the counter saw (every match when every document was
             * examined). */
            auto found = enquire->matched->keys.find(key);
            page->collapse_counts[i] =
                found != enquire->matched->keys.end() && found->second > 0 ? found->second - 1 : 0;
        }
        if (!key.empty() && (page->collapse_keys[i] = copy_bytes(key)) == nullptr)
            return VIND_NOMEM;
    }
    return VIND_OK;
}

/* Over remote shards: fresh stock spies for the next run (a spy's counts
 * would add up over runs). */
static void add_stock_spies(vind_xapian_enquire_t *enquire)
{
    enquire->enquire.clear_matchspies();
    enquire->stock_keys.reset();
    enquire->stock_facets.reset();
    if (enquire->collapsing && enquire->key_slot != Xapian::BAD_VALUENO) {
        enquire->stock_keys.reset(new Xapian::ValueCountMatchSpy(enquire->key_slot));
        enquire->enquire.add_matchspy(enquire->stock_keys.get());
    }
    if (enquire->counter && enquire->packed_slot != Xapian::BAD_VALUENO) {
        enquire->stock_facets.reset(new Xapian::ValueCountMatchSpy(enquire->packed_slot));
        enquire->enquire.add_matchspy(enquire->stock_facets.get());
    }
}

/* What the stock spies counted (merged over the shards by Xapian), into the
 * counters the local spies fill: each distinct packed facets value with its
 * documents, the matches, and the keyed documents and distinct keys.
 * Cost: one pass over the distinct values, not over the matches. */
static void read_stock_spies(vind_xapian_enquire_t *enquire)
{
    if (enquire->stock_facets)
        for (Xapian::TermIterator it = enquire->stock_facets->values_begin();
             it != enquire->stock_facets->values_end(); ++it)
            enquire->counter->add_packed(*it, it.get_termfreq());
    if (enquire->stock_keys && enquire->matched) {
        MatchCounter &counted = *enquire->matched;
        counted.seen = enquire->stock_keys->get_total();
        counted.keys.clear();
        Xapian::doccount keyed = 0;
        for (Xapian::TermIterator it = enquire->stock_keys->values_begin();
             it != enquire->stock_keys->values_end(); ++it) {
            counted.keys[*it] = it.get_termfreq();
            keyed += it.get_termfreq();
        }
        counted.alone = counted.seen - keyed;
    }
}

/* Bounds of at least matches matches (lower, estimate and upper raised),
 * and estimate (0: none) as the estimate, within them. */
static void raise_bounds(vind_xapian_mset_t *page, uint64_t matches, uint64_t estimate)
{
    page->matches_lower = std::max<uint64_t>(page->matches_lower, matches);
    page->matches_upper = std::max<uint64_t>(page->matches_upper, matches);
    if (estimate)
        page->matches_estimated = estimate;
    page->matches_estimated = std::min<uint64_t>(
        std::max<uint64_t>(page->matches_estimated, page->matches_lower), page->matches_upper);
}

/*
 * A counting pass over remote shards that may stop at check_at_least
 * matches (the count limit). The spies run on the servers, where no spy of
 * vind's can end the run, and stock xapian-tcpsrv's matcher ends a run of
 * no items only when nothing weighs (multimatch.cc: max_possible 0) and
 * otherwise checks every match. A run of one item, weighed by BM25, is
 * ended by that matcher itself: once a server has checked check_at_least
 * matches it raises its minimum weight to its best item's and skips what
 * cannot beat it, before the spy (Xapian's own pruning, as in a ranked
 * pass past the limit). So each server counts at least check_at_least of
 * its matches (facet counts: lower bounds) and the bounds are Xapian's,
 * merged over the servers; the one item is dropped (vind_xapian_enquire_run).
 * Why not BoolWeight, which stops a one-database run at check_at_least:
 * vind_xapian_enquire_set_boolean. Throws what Xapian throws.
 */
static Xapian::MSet run_remote_counting(vind_xapian_enquire_t *enquire, uint32_t check_at_least)
{
    enquire->enquire.set_weighting_scheme(Xapian::BM25Weight());
    return enquire->enquire.get_mset(0, 1, check_at_least);
}

/*
 * Over remote shards, a collapsing run that stopped at the count limit:
 * Xapian 1.4 loses the servers' uncollapsed bounds (a one-word query, whose
 * count the servers know, came back as 147 to 300 for 300 matches), so
 * they are taken again from a run that checks no match and collapses
 * nothing (the postlists' statistics on each server, one more round trip)
 * and page's bounds narrowed to them. The collapse key and the spies are
 * set again for the next run (add_stock_spies). Throws what Xapian throws.
 */
static void statistics_bounds(vind_xapian_enquire_t *enquire, vind_xapian_mset_t *page)
{
    enquire->enquire.clear_matchspies();
    enquire->enquire.set_collapse_key(Xapian::BAD_VALUENO);
    Xapian::MSet statistics = enquire->enquire.get_mset(0, 0, Xapian::doccount(0));
    enquire->enquire.set_collapse_key(enquire->key_slot);
    page->matches_lower = std::max<uint64_t>(page->matches_lower,
                                             statistics.get_matches_lower_bound());
    page->matches_upper = std::min<uint64_t>(page->matches_upper,
                                             statistics.get_matches_upper_bound());
    page->matches_estimated = std::min<uint64_t>(
        std::max<uint64_t>(page->matches_estimated, page->matches_lower), page->matches_upper);
}

/* get_mset, with a counting pass (a local counting spy, no items) ended
 * at check_at_least matches by its spy: its bounds are then those of an
 * estimate without matching (check_at_least 0: the postlists' statistics,
 * no document read), raised to what the spy saw and one more. Updates
 * check_at_least to what the run checked. Throws what Xapian throws. */
static Xapian::MSet run_counting(vind_xapian_enquire_t *enquire, uint32_t offset, uint32_t limit,
                                 uint32_t &check_at_least)
{
    CountSpy *counter = enquire->counter.get();
    if (enquire->reader->remote && limit == 0 && check_at_least > 0 &&
        check_at_least < enquire->reader->database.get_doccount())
        return run_remote_counting(enquire, check_at_least);
    bool stoppable = counter && !enquire->reader->remote && limit == 0 && check_at_least > 0 &&
                     check_at_least < enquire->reader->database.get_doccount();
    if (counter)
        counter->stop_after(stoppable ? check_at_least : 0);
    try {
        return enquire->enquire.get_mset(offset, limit, check_at_least);
    } catch (const CountStopped &) {
        enquire->stopped_at = counter->seen() + 1;
        /* One database hands the spy its matches in docid order: the share
         * of the docids they came from estimates all of them far better
         * than the postlists' statistics do for an AND (10,000 generated
         * documents, "zorg wonen", limit 20: 300 from the statistics, 489
         * true). Shards come shard by shard: Xapian's estimate there. */
        Xapian::docid last = counter->last_docid();
        Xapian::docid end = enquire->reader->database.get_lastdocid();
        if (enquire->reader->shards.empty() && last > 0)
            enquire->stopped_estimate = (uint64_t)((double)counter->seen() * end / last);
        return enquire->enquire.get_mset(0, 0, Xapian::doccount(0));
    }
}

/*
 * Whether the run fetches every match and hands them to the local spies
 * afterwards (run_feeding) instead of Xapian calling the spies per match:
 * a run that lists matches, over one local database, examining every
 * match (no count limit, budget or Xapian collapser ends or thins the
 * run). Why: Xapian 1.4 opens a document for each match it hands a spy;
 * without spies, keeping every match and feeding them their docids, the
 * ranked passes of the 1,000 bench requests cost 416 M -> 382 M
 * instructions (docs/reliability.md, "The plan and the passes, session
 * 11"). A counting run (no items) stays with the spies: keeping every
 * match cost it more (133 M -> 159 M). The page is the same: the full list
 * is in Xapian's order (weight or sort key, then docid), whose head the
 * bounded run keeps. Memory: an item per match, for at most the count
 * limit's documents (VIND_COUNT_LIMIT): past it no run examines every
 * match.
 */
static bool feeds_spies(const vind_xapian_enquire_t *enquire, uint32_t limit,
                        uint32_t check_at_least)
{
    const vind_xapian_reader *reader = enquire->reader;
    return limit > 0 && !reader->remote && reader->shards.empty() &&
           check_at_least >= reader->database.get_doccount() &&
           !(enquire->collapsing && !enquire->collapse_after);
}

/* The local spies as Xapian's match spies of the next run, or none when
 * the run feeds them itself. Not over remote shards (add_stock_spies). */
static void attach_spies(vind_xapian_enquire_t *enquire, bool attach)
{
    enquire->enquire.clear_matchspies();
    if (attach && enquire->matched)
        enquire->enquire.add_matchspy(enquire->matched.get());
    if (attach && enquire->counter)
        enquire->enquire.add_matchspy(enquire->counter.get());
}

/*
 * The docid and weight of every match, as a run's only match spy, in the
 * order Xapian hands them over (docid order over one local database): ~25
 * instructions a match (a virtual call and a push), where walking the
 * run's MSet for them (an MSet copy per iterator and an exported call per
 * step) and sorting them cost ~120 (docs/searchd.md, "A match's cost,
 * session 15"). The weight is the one Xapian gives the match's item.
 */
class MatchRecorder : public Xapian::MatchSpy
{
  public:
    void operator()(const Xapian::Document &document, double wt) override
    {
        matches.push_back({document.get_docid(), wt});
    }
    std::vector<RankedMatch> matches;
};

/* A recorder as the enquire's only spy while it lives (on the stack):
 * detached however the run ends. */
class RecorderAttached
{
  public:
    RecorderAttached(Xapian::Enquire &enquire, MatchRecorder &recorder) : enquire_(enquire)
    {
        enquire_.clear_matchspies();
        enquire_.add_matchspy(&recorder);
    }
    ~RecorderAttached()
    {
        enquire_.clear_matchspies();
    }
    RecorderAttached(const RecorderAttached &) = delete;
    RecorderAttached &operator=(const RecorderAttached &) = delete;

  private:
    Xapian::Enquire &enquire_;
};

/* Whether a fed run (feeds_spies) orders its matches itself instead of
 * Xapian: the percents are not wanted (Xapian's scale needs a kept item),
 * the order is Xapian's relevance order with docids ascending (which
 * RanksBefore is) and no cutoff drops items. */
static bool ranks_itself(const vind_xapian_enquire_t *enquire)
{
    return !enquire->percents && enquire->by_relevance && enquire->docids_ascending &&
           !enquire->cut;
}

/* The most matches whose room a reader keeps between runs (16 bytes
 * each): a list grown past it by a run of very many matches is freed. */
static constexpr size_t KEPT_RECORDED_MATCHES = 16384;

/* Hands a fed run's match list back to the reader, empty with its
 * capacity (the larger of the two lists is kept: a run that fed no spy
 * took none). */
static void give_back_recorded(vind_xapian_reader *reader, std::vector<RankedMatch> &matches)
{
    matches.clear();
    if (matches.capacity() > reader->recorded.capacity() &&
        matches.capacity() <= KEPT_RECORDED_MATCHES)
        reader->recorded.swap(matches);
}

/*
 * Every match of a run that examines every match (feeds_spies), from the
 * first, and the local spies fed each match's docid in docid order, as
 * Xapian hands them over one database (a MatchRecorder takes them during
 * the run). Either Xapian keeps every match and sorts them at the run's
 * end (the MSet holds them; ranked is left empty), or, when the run ranks
 * itself (ranks_itself), Xapian keeps none and ranked holds every match,
 * its first `keep` in Xapian's order (the MSet holds the bounds only).
 * Why not fewer items kept by Xapian: its matcher then keeps them in a
 * heap of MSet items (two strings each), pushed and popped for every match
 * of a relevance run, which costs more a match than the sort (a page's
 * heap: +47 M instructions over the bench requests; docs/searchd.md, "A
 * match's cost, session 15"). Keeping none skips the heap's item copies
 * (~100 instructions a match left of the sort's ~740). Cost: a spy's work
 * per match without a document (values from the value streams), and
 * ordering 16-byte pairs as far as keep (rank_head). Throws what Xapian throws.
 */
static Xapian::MSet run_feeding(vind_xapian_enquire_t *enquire, uint32_t check_at_least,
                                Xapian::doccount keep, std::vector<RankedMatch> &ranked)
{
    const Xapian::Database &database = enquire->reader->database;
    const bool itself = ranks_itself(enquire);
    if (!enquire->counter && !enquire->matched && !itself)
        return enquire->enquire.get_mset(0, database.get_doccount(), check_at_least);
    MatchRecorder recorder;
    recorder.matches.swap(enquire->reader->recorded); /* empty, with its capacity */
    Xapian::MSet matches;
    {
        RecorderAttached attached(enquire->enquire, recorder);
        matches =
            enquire->enquire.get_mset(0, itself ? 0 : database.get_doccount(), check_at_least);
    }
    std::vector<RankedMatch> &seen = recorder.matches;
    if (!std::is_sorted(seen.begin(), seen.end(), DocidBefore()))
        std::sort(seen.begin(), seen.end(), DocidBefore());
    ValueStreams streams(database);
    for (const RankedMatch &seen_match : seen) {
        const MatchRef match(streams, seen_match.did);
        if (enquire->matched)
            enquire->matched->see(match);
        if (enquire->counter)
            enquire->counter->see(match);
    }
    if (itself) {
        rank_head(seen, keep);
        ranked = std::move(seen); /* given back by vind_xapian_enquire_run */
    } else {
        give_back_recorded(enquire->reader, seen);
    }
    return matches;
}

/* Empties the spies (and the stopping marks) for the next run. */
static void reset_spies(vind_xapian_enquire_t *enquire)
{
    enquire->stopped_at = enquire->stopped_estimate = 0;
    if (enquire->counter)
        enquire->counter->reset();
    if (enquire->reader->remote)
        add_stock_spies(enquire);
    else if (enquire->matched)
        enquire->matched->reset();
}

/* The last run, checking check_at_least, examined every match (or fewer
 * matched than a count limit made it examine): its match counter's counts
 * are exact. */
static bool examined_every_match(const vind_xapian_enquire_t *enquire, uint32_t check_at_least)
{
    return check_at_least >= enquire->reader->database.get_doccount() ||
           enquire->matched->seen < check_at_least;
}

/* Matches fetched past the page when collapsing after the run: room for
 * the near-duplicates of the page's documents that collapsing drops. */
static const uint32_t COLLAPSE_ROOM = 16;

/* From now on the enquire's runs collapse with Xapian's collapser. */
static void collapse_in_run(vind_xapian_enquire_t *enquire)
{
    enquire->enquire.set_collapse_key(enquire->collapse_slot);
    enquire->collapse_after = false;
}

/*
 * Collapsing after a run that examined every match, without Xapian's
 * collapser: of the matches in Xapian's order, the first of each key (the
 * best of its group: every later one ranks lower) and every match without
 * a key, at most limit, as indexes into matches (listed). matches is the
 * head of the full order, so what it lists is the head of the collapsed
 * order, as Xapian's collapser would give it (the same order, weights and
 * percentages; a key's others counted by the match counter). False when
 * fewer than limit are left and matches lacks some match: the run is made
 * again with the collapser then. Cost: a hash look-up per fetched match.
 */
static bool collapse_after_run(const vind_xapian_enquire_t *enquire, const RunOrder &matches,
                               uint32_t limit, uint32_t check_at_least,
                               std::vector<Xapian::doccount> &listed)
{
    const MatchCounter &counter = *enquire->matched;
    if (enquire->stopped_at != 0 || !examined_every_match(enquire, check_at_least))
        return false;
    std::unordered_set<std::string> keys;
    for (Xapian::doccount i = 0; i < matches.size() && listed.size() < limit; i++) {
        auto key = counter.key_of.find(matches.docid(i));
        if (key == counter.key_of.end() || keys.insert(key->second).second)
            listed.push_back(i);
    }
    return listed.size() == limit || matches.size() == counter.seen;
}

extern "C" vind_status_t vind_xapian_enquire_run(vind_xapian_enquire_t *enquire, uint32_t offset,
                                                 uint32_t limit, uint32_t check_at_least,
                                                 vind_xapian_mset_t **mset, char **errmsg)
{
    if (mset == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_run", "mset is NULL");
    *mset = nullptr;
    if (enquire == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_run", "enquire is NULL");
    Xapian::MSet matches;
    std::vector<RankedMatch> ranked; /* every match, when the run ranked itself */
    const RunOrder order(matches, ranked);
    std::vector<int> percents;
    std::vector<Xapian::doccount> listed; /* the items of order on the page, in order */
    bool after = false;                   /* collapsed after the run */
    try {
        reset_spies(enquire);
        /* Past the reader's budget a run stops counting: it examines only
         * the page asked for, so the total and the facet counts become
         * estimates. Checked here, between runs, rather than with Xapian's
         * Enquire::set_time_limit: that arms a POSIX timer whose expiry
         * starts a thread (SIGEV_THREAD) per costly search, and the
         * ThreadSanitizer build of vind-searchd crashed on it. */
        if (budget_spent(enquire->reader))
            check_at_least = 0;
        /* Collapsing after the run needs every match examined and the
         * page from the first match (a sort by date pages in Xapian). */
        after = enquire->collapse_after && offset == 0 &&
                check_at_least >= enquire->reader->database.get_doccount();
        if (enquire->collapse_after && !after)
            collapse_in_run(enquire);
        const uint32_t room = after ? std::min(COLLAPSE_ROOM, UINT32_MAX - limit) : 0;
        bool fed = feeds_spies(enquire, limit, check_at_least);
        if (!enquire->reader->remote)
            attach_spies(enquire, !fed);
        /* The head a fed run needs in order: the page, or every match to
         * collapse after the run. */
        const Xapian::doccount keep =
            after ? enquire->reader->database.get_doccount()
                  : static_cast<Xapian::doccount>(std::min<uint64_t>(
                        static_cast<uint64_t>(offset) + limit, UINT32_MAX));
        matches = fed ? run_feeding(enquire, check_at_least, keep, ranked)
                      : run_counting(enquire, offset, limit == 0 ? 0 : limit + room, check_at_least);
        if (after && !collapse_after_run(enquire, order, limit, check_at_least, listed)) {
            after = fed = false;
            listed.clear();
            ranked.clear();
            collapse_in_run(enquire);
            reset_spies(enquire);
            if (!enquire->reader->remote)
                attach_spies(enquire, true);
            matches = run_counting(enquire, offset, limit, check_at_least);
        }
        /* A fed run holds every match from the first: the page is [offset, offset + limit). */
        const Xapian::doccount first = fed ? std::min<Xapian::doccount>(offset, order.size()) : 0;
        Xapian::doccount end = order.size();
        if (fed && end - first > limit)
            end = first + limit;
        if (!after)
            for (Xapian::doccount i = first; i < end; i++)
                listed.push_back(i);
        if (enquire->counter)
            enquire->counter->flush();
        if (enquire->reader->remote)
            read_stock_spies(enquire);
        percents.reserve(listed.size());
        for (Xapian::doccount i : listed)
            percents.push_back(order.percent(i));
    } catch (...) {
        return translate_exception(errmsg, "cannot search Xapian database",
                                   enquire->reader->path.c_str());
    }
    vind_xapian_mset_t *page =
        static_cast<vind_xapian_mset_t *>(std::calloc(1, sizeof(vind_xapian_mset_t)));
    if (page == nullptr)
        return vind_error(errmsg, VIND_NOMEM, "cannot copy search results: out of memory");
    size_t count = limit == 0 ? 0 : percents.size(); /* run_remote_counting's one item */
    if (count > 0) {
        page->docids = static_cast<uint32_t *>(std::calloc(count, sizeof(uint32_t)));
        page->weights = static_cast<double *>(std::calloc(count, sizeof(double)));
        page->percents = static_cast<int *>(std::calloc(count, sizeof(int)));
        if (page->docids == nullptr || page->weights == nullptr || page->percents == nullptr) {
            vind_xapian_mset_free(page);
            return vind_error(errmsg, VIND_NOMEM, "cannot copy search results: out of memory");
        }
    }
    try {
        for (size_t i = 0; i < count; i++) {
            page->docids[i] = order.docid(listed[i]);
            page->weights[i] = order.weight(listed[i]);
            page->percents[i] = percents[i];
        }
        page->count = count;
        page->matches_lower = matches.get_matches_lower_bound();
        page->matches_estimated = matches.get_matches_estimated();
        page->matches_upper = matches.get_matches_upper_bound();
        if (enquire->stopped_at) /* the spy ended the run: at least what it saw */
            raise_bounds(page, enquire->stopped_at, enquire->stopped_estimate);
        page->listed_estimated = page->matches_estimated;
        if (enquire->collapsing) {
            /* Collapsing: the totals stay documents; what is left is listed. */
            page->matches_lower = matches.get_uncollapsed_matches_lower_bound();
            page->matches_estimated = matches.get_uncollapsed_matches_estimated();
            page->matches_upper = matches.get_uncollapsed_matches_upper_bound();
            /* Every document examined (or fewer matched than a count
             * limit made it examine): the match counter's count is exact
             * (Xapian's uncollapsed bounds are not; MatchCounter). */
            if (enquire->matched && examined_every_match(enquire, check_at_least)) {
                page->matches_lower = page->matches_upper = page->matches_estimated =
                    enquire->matched->seen;
                page->listed_estimated = enquire->matched->alone + enquire->matched->keys.size();
            } else if (enquire->stock_keys) {
                statistics_bounds(enquire, page);
            }
            if (copy_collapse(order, listed, after, page, enquire) != VIND_OK) {
                vind_xapian_mset_free(page);
                return vind_error(errmsg, VIND_NOMEM, "cannot copy search results: out of memory");
            }
        }
    } catch (...) {
        vind_xapian_mset_free(page);
        return translate_exception(errmsg, "cannot read the results of a search of",
                                   enquire->reader->path.c_str());
    }
    enquire->last_lower = page->matches_lower;
    enquire->last_upper = page->matches_upper;
    give_back_recorded(enquire->reader, ranked);
    *mset = page;
    return VIND_OK;
}

/* --------------------------------------------------------------- expand */

extern "C" vind_status_t vind_xapian_enquire_expand(vind_xapian_enquire_t *enquire,
                                                    const uint32_t *docids, size_t count,
                                                    size_t max_terms, const char *include_prefix,
                                                    const char *exclude_initials,
                                                    vind_xapian_terms_t **terms, char **errmsg)
{
    if (terms == nullptr)
        return invalid(errmsg, "vind_xapian_enquire_expand", "terms is NULL");
    *terms = nullptr;
    if (enquire == nullptr || (docids == nullptr && count > 0))
        return invalid(errmsg, "vind_xapian_enquire_expand", "enquire or docids is NULL");
    std::vector<TermItem> found;
    try {
        if (count > 0 && max_terms > 0) {
            Xapian::RSet relevant;
            for (size_t i = 0; i < count; i++) {
                if (docids[i] == 0)
                    throw Xapian::DocNotFoundError("document 0 does not exist");
                /* Xapian would compute expand weights for a missing docid
                 * silently; check it exists so a stale id is reported. */
                (void)enquire->reader->database.get_document(docids[i]);
                relevant.add_document(docids[i]);
            }
            PrefixDecider decider(include_prefix, exclude_initials);
            Xapian::ESet expanded = enquire->enquire.get_eset(
                static_cast<Xapian::termcount>(max_terms), relevant, &decider);
            for (Xapian::ESetIterator it = expanded.begin(); it != expanded.end(); ++it)
                found.push_back(TermItem{*it, 0, 0, it.get_weight()});
        }
    } catch (...) {
        return translate_exception(errmsg, "cannot find expand terms in",
                                   enquire->reader->path.c_str());
    }
    *terms = make_terms(found);
    if (*terms == nullptr)
        return vind_error(errmsg, VIND_NOMEM, "cannot copy expand terms: out of memory");
    return VIND_OK;
}
