// The statement analysis over the lexer's tokens: which tables a statement reads and writes,
// which functions it calls, and whether its result may be cached.
#include "sqlscan/scan.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <cctype>
#include <set>
#include <unordered_set>
#include <stdexcept>

#include "sqlscan/lexer.hpp"

namespace cachalot::sqlscan {

namespace {

// ASCII case folding without the locale: keywords and the names the scanner reports are ASCII-folded.
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

template <size_t N>
bool one_of(std::string_view word, const std::string_view (&words)[N]) {
    return std::any_of(std::begin(words), std::end(words), [&](std::string_view w) { return iequals(word, w); });
}

// A set of lower-case names, for the long lists looked up once per function call.
class NameSet {
public:
    template <size_t N>
    explicit NameSet(const std::string_view (&names)[N]) : names_(std::begin(names), std::end(names)) {}
    bool contains(std::string_view lowered) const { return names_.count(lowered) != 0; }

private:
    std::unordered_set<std::string_view> names_;
};

// Words followed by '(' that are syntax, not function calls.
constexpr std::string_view not_functions[] = {
    "in", "exists", "any", "all", "some", "values", "as", "on", "using", "over", "filter", "within", "lateral",
    "from", "join", "where", "and", "or", "not", "select", "set", "into", "table", "when", "then", "else", "case",
    "between", "like", "ilike", "is", "by", "partition", "returning", "key", "references", "check", "unique",
    "primary", "foreign", "default", "conflict", "do", "update", "with", "recursive", "materialized", "cube",
    "rollup", "grouping", "sets", "row", "union", "intersect", "except", "having", "limit", "offset", "index",
    "only", "escape", "call"};

// Functions whose result depends only on their arguments (and types, for casts).
constexpr std::string_view pure_functions[] = {
    "count", "sum", "avg", "min", "max", "coalesce", "nullif", "greatest", "least", "abs", "ceil", "ceiling",
    "floor", "round", "trunc", "truncate", "mod", "power", "pow", "sqrt", "exp", "ln", "log", "log10", "log2",
    "sign", "lower", "upper", "lcase", "ucase", "length", "char_length", "character_length", "octet_length",
    "bit_length", "substr", "substring", "trim", "ltrim", "rtrim", "btrim", "replace", "concat", "concat_ws",
    "position", "strpos", "instr", "locate", "left", "right", "lpad", "rpad", "reverse", "split_part", "initcap",
    "repeat", "translate", "to_char", "to_number", "to_date", "to_timestamp", "date_trunc", "date_part",
    "extract", "cast", "convert", "try_cast", "ifnull", "isnull", "nvl", "iif", "if", "nullifzero", "printf",
    "format", "array_agg", "string_agg", "group_concat", "json_agg", "jsonb_agg", "json_object_agg",
    "jsonb_object_agg", "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
    "json_extract", "json_object", "json_array", "json_array_length", "jsonb_array_length", "json_each",
    "json_tree", "jsonb_each", "jsonb_array_elements", "json_array_elements", "to_json", "to_jsonb",
    "bool_and", "bool_or", "every", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
    "row_number", "rank", "dense_rank", "lag", "lead", "first_value", "last_value", "ntile", "percent_rank",
    "cume_dist", "nth_value", "percentile_cont", "percentile_disc", "mode", "generate_series", "unnest",
    "array_length", "cardinality", "typeof", "hex", "unhex", "quote", "unicode", "char", "chr", "ascii",
    "zeroblob", "total", "md5", "date", "time", "datetime", "julianday", "strftime", "unixepoch", "make_date",
    "make_timestamp", "varchar", "numeric", "decimal", "character", "float", "bit", "timestamp", "interval",
    // MySQL's date part functions, and the precision of INTERVAL '90' DAY (3)
    "year", "quarter", "month", "week", "day", "hour", "minute", "second", "dayofweek", "dayofmonth", "dayofyear",
    // PostgreSQL's text search; without a configuration they read default_text_search_config, a
    // setting, which the session part of the key holds (as to_char's lc_time)
    "to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "ts_rank",
    "ts_rank_cd", "ts_headline", "setweight", "strip", "numnode", "querytree", "tsvector_to_array",
    "array_to_tsvector"};

// Functions whose result changes between calls.
constexpr std::string_view random_functions[] = {"random", "rand", "newid", "random_normal",
                                                              "setseed", "randomblob"};
constexpr std::string_view volatile_functions[] = {
    "now", "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
    "statement_timestamp", "clock_timestamp", "transaction_timestamp", "timeofday", "sysdate", "getdate",
    "utc_timestamp", "utc_date", "utc_time", "unix_timestamp", "curdate", "curtime", "nextval", "setval",
    "currval", "lastval", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
    "uuid", "uuid_short", "sys_guid", "last_insert_id", "last_insert_rowid", "changes", "total_changes",
    "sleep", "pg_sleep", "pg_sleep_for", "pg_sleep_until", "benchmark", "connection_id", "pg_backend_pid",
    "txid_current", "found_rows", "row_count", "inet_client_addr", "age",
    // Built-ins that write no table: locks, notifications, settings.
    "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
    "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_xact_lock",
    "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all",
    "pg_notify", "set_config", "get_lock", "release_lock", "release_all_locks", "is_free_lock", "is_used_lock",
    // PostgreSQL's VOLATILE built-ins that change no table a read can cache: sizes, server and
    // replication state, statistics, large objects (pg_largeobject, a system catalog), files.
    // (pg_reload_conf is not here: a reloaded setting changes what reads return.)
    "pg_is_in_recovery", "pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size",
    "pg_database_size", "pg_tablespace_size", "pg_cancel_backend", "pg_terminate_backend", "pg_blocking_pids",
    "pg_safe_snapshot_blocking_pids", "pg_current_wal_lsn", "pg_current_wal_insert_lsn", "pg_current_wal_flush_lsn",
    "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn", "pg_last_xact_replay_timestamp", "pg_is_wal_replay_paused",
    "pg_get_wal_replay_pause_state", "pg_last_committed_xact", "pg_xact_commit_timestamp",
    "pg_xact_commit_timestamp_origin", "pg_xact_status", "txid_status", "pg_export_snapshot", "current_query",
    "pg_notification_queue_usage", "pg_jit_available", "pg_current_logfile", "pg_rotate_logfile",
    "pg_stat_clear_snapshot", "pg_stat_reset", "pg_stat_reset_shared", "pg_stat_reset_single_table_counters",
    "pg_stat_reset_single_function_counters", "pg_stat_force_next_flush", "pg_sequence_last_value",
    "pg_partition_tree", "pg_partition_ancestors", "lo_close", "lo_creat", "lo_create", "lo_export", "lo_from_bytea",
    "lo_get", "lo_import", "lo_lseek", "lo_lseek64", "lo_open", "lo_put", "lo_tell", "lo_tell64", "lo_truncate",
    "lo_truncate64", "lo_unlink", "loread", "lowrite", "pg_read_file", "pg_read_binary_file", "pg_stat_file",
    "pg_ls_dir"};
// SQLite's date and time functions mean "now" when called with no time value, with 'now' (or
// "now", which SQLite takes for a string), or with a parameter that may be 'now'.
constexpr std::string_view now_sensitive[] = {"date", "time", "datetime", "julianday", "strftime",
                                                           "unixepoch"};

const NameSet not_function_set(not_functions), pure_function_set(pure_functions),
    random_function_set(random_functions), volatile_function_set(volatile_functions);

constexpr std::string_view catalog_schemas[] = {"pg_catalog", "information_schema", "mysql",
                                                             "performance_schema", "sys", "pg_toast",
                                                             "sqlite_temp_schema", "temp_catalog"};
constexpr std::string_view catalog_tables[] = {"sqlite_master", "sqlite_schema", "sqlite_temp_master",
                                                            "sqlite_temp_schema", "sqlite_sequence"};

// Words that end a table reference: a following word is not an alias.
constexpr std::string_view clause_words[] = {
    "where", "group", "having", "order", "limit", "offset", "fetch", "window", "union", "intersect", "except",
    "join", "inner", "left", "right", "full", "outer", "cross", "natural", "on", "using", "set", "returning",
    "for", "into", "values", "select", "lateral", "straight_join", "when", "then", "else", "end", "with",
    "do", "default", "lock", "indexed", "not", "use", "force", "ignore", "tablesample", "partition",
    "qualify", "connect", "start", "format"};

// The words the general walk reacts to, told apart by a hash of their folded spelling and a
// switch: comparing every word with thirty keywords was the analysis's main cost.
enum class Word : std::uint8_t { other, from, join, using_, for_, lock, into, table, in, list_ender, volatile_value };

#define CACHALOT_WALK_WORDS(X)                                                                              \
    X("from", from) X("join", join) X("straight_join", join) X("using", using_) X("for", for_)             \
    X("lock", lock) X("into", into) X("table", table) X("in", in)                                         \
    /* words that end a FROM list at the level they appear */                                              \
    X("where", list_ender) X("group", list_ender) X("having", list_ender) X("order", list_ender)           \
    X("limit", list_ender) X("offset", list_ender) X("fetch", list_ender) X("window", list_ender)          \
    X("union", list_ender) X("intersect", list_ender) X("except", list_ender) X("returning", list_ender)   \
    X("set", list_ender) X("select", list_ender) X("values", list_ender) X("qualify", list_ender)          \
    /* SQL's datetime value functions, written without parentheses */                                      \
    X("current_timestamp", volatile_value) X("current_date", volatile_value)                               \
    X("current_time", volatile_value) X("localtime", volatile_value) X("localtimestamp", volatile_value)   \
    X("sysdate", volatile_value) X("utc_timestamp", volatile_value) X("utc_date", volatile_value)          \
    X("utc_time", volatile_value)                                                                          \
    /* MySQL: a later FOUND_ROWS() reads what the server counted when it ran the statement */              \
    X("sql_calc_found_rows", volatile_value)

constexpr std::uint32_t folded_hash(std::string_view word) {
    std::uint32_t hash = 2166136261u;
    for (char c : word) hash = (hash ^ static_cast<std::uint8_t>(ascii_lower(c))) * 16777619u;
    return hash;
}

Word classify(std::string_view word) {
    if (word.size() < 2 || word.size() > 19) return Word::other;
    switch (folded_hash(word)) {
#define CACHALOT_WALK_CASE(text, kind) \
    case folded_hash(text): return iequals(word, text) ? Word::kind : Word::other;
        CACHALOT_WALK_WORDS(CACHALOT_WALK_CASE)
#undef CACHALOT_WALK_CASE
    default: return Word::other;
    }
}

constexpr size_t max_depth = 200;

enum class Role { read, write };

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Token tests; past the end they are false.
bool is_word(const Token* p, const Token* end, std::string_view word) {
    return p < end && p->kind == TokenKind::word && iequals(p->text, word);
}
bool is_punct(const Token* p, const Token* end, std::string_view text) {
    return p < end && p->kind == TokenKind::punct && p->text == text;
}
bool is_name(const Token* p, const Token* end) {
    return p < end && (p->kind == TokenKind::word || p->kind == TokenKind::quoted_identifier);
}

// A possibly dotted name; returns the position after it, the last part in `name` and the
// part before it (the schema) in `schema`.
const Token* read_name(const Token* p, const Token* end, std::string& name, std::string& schema) {
    if (!is_name(p, end)) throw Failure("expected a name");
    name = lower(p->text);
    schema.clear();
    ++p;
    while (is_punct(p, end, ".") && is_name(p + 1, end)) {
        schema = name;
        name = lower(p[1].text);
        p += 2;
    }
    return p;
}

// A string literal with no quote or backslash inside ('app.tenant'), its text in `text`.
bool plain_literal(const Token* p, const Token* end, std::string& text) {
    if (p >= end || p->kind != TokenKind::string || p->text.size() < 2 || p->text.front() != '\'' ||
        p->text.find_first_of("\\'", 1) != p->text.size() - 1)
        return false;
    text = p->text.substr(1, p->text.size() - 2);
    return true;
}

const Token* skip_words(const Token* p, const Token* end, std::initializer_list<std::string_view> words) {
    for (bool again = true; again;) {
        again = false;
        for (auto w : words)
            if (is_word(p, end, w)) {
                ++p;
                again = true;
            }
    }
    return p;
}

class Analyzer {
public:
    Analyzer(Statement& statement, Dialect dialect)
        : statement_(statement), variables_(dialect != Dialect::postgresql) {}

    void run(const Token* begin, const Token* end) {
        begin_ = begin;
        try {
            refuse_unicode_escapes(begin, end);
            statement_.kind = analyze(begin, end);
        } catch (const Failure& e) {
            statement_ = Statement{};
            statement_.kind = StatementKind::unknown;
            statement_.reason = std::string("could not be parsed: ") + e.what();
            return;
        }
        if (unobservable_setting_) statement_.observable = false;
        else if (statement_.sets_session && statement_.kind != StatementKind::session) statement_.observable = true;
        statement_.reads.assign(reads_.begin(), reads_.end());
        statement_.writes.assign(writes_.begin(), writes_.end());
        statement_.temporary_tables.assign(temporaries_.begin(), temporaries_.end());
    }

private:
    // PostgreSQL's U&"\0074" names t and U&'\006eow' says 'now': the scanner does not decode them.
    static void refuse_unicode_escapes(const Token* p, const Token* end) {
        for (; p + 2 < end; ++p)
            if (p->kind == TokenKind::word && p->text.size() == 1 && (p->text[0] == 'u' || p->text[0] == 'U') &&
                p[1].kind == TokenKind::punct && p[1].text == "&" && p->text.data() + 1 == p[1].text.data() &&
                (p[2].kind == TokenKind::quoted_identifier || p[2].kind == TokenKind::string) &&
                p[2].text.data() <= p[1].text.data() + 2)
                throw Failure("Unicode escapes (U&)");
    }

    const Token* closing(const Token* open, const Token* end) const {
        int depth = 0;
        for (const Token* p = open; p < end; ++p) {
            if (p->kind != TokenKind::punct) continue;
            if (p->text == "(") ++depth;
            else if (p->text == ")" && --depth == 0) return p;
        }
        throw Failure("unbalanced parentheses");
    }

    struct Depth {
        explicit Depth(size_t& depth) : depth_(depth) {
            if (++depth_ > max_depth) throw Failure("nested too deeply");
        }
        ~Depth() { --depth_; }
        size_t& depth_;
    };

    bool starts_query(const Token* p, const Token* end) const {
        while (is_punct(p, end, "(")) ++p;
        return is_word(p, end, "select") || is_word(p, end, "with") || is_word(p, end, "values") ||
               is_word(p, end, "table");
    }

    bool is_cte(const std::string& name) const {
        return std::find(ctes_.begin(), ctes_.end(), name) != ctes_.end();
    }


    // `last`: the name's last token, when it may name a CTE ("T" is not the CTE t).
    void add_table(const std::string& name, const std::string& schema, Role role, const Token* last = nullptr) {
        if (role == Role::read && schema.empty() && last && is_cte(function_name_of(*last))) return;
        if (one_of(schema, catalog_schemas) || one_of(name, catalog_tables) || name.rfind("pg_", 0) == 0) {
            if (!statement_.system_catalog) statement_.catalog_table = name;
            statement_.system_catalog = true;
        }
        (role == Role::read ? reads_ : writes_).insert(name);
    }

    // How a called function's name is qualified: pg_catalog.f() is the built-in, app.f() is not
    // (app.log(...) may write), and f() is whichever PostgreSQL finds first, which may be a
    // user's overload of the built-in.
    enum class Qualifier { none, pg_catalog, other };

    static void insert_sorted(std::vector<std::string>& names, const std::string& name) {
        if (auto at = std::lower_bound(names.begin(), names.end(), name); at == names.end() || *at != name)
            names.insert(at, name);
    }

    void note_function(const std::string& name, const Token* args, const Token* args_end, Qualifier qualifier) {
        auto flag = [&](bool& which) {
            if (!which) {
                which = true;
                function_name(name);
            }
        };
        auto means_now = [](const Token& t) {
            return (t.kind == TokenKind::string && (iequals(t.text, "'now'") || iequals(t.text, "'localtime'"))) ||
                   (t.kind == TokenKind::quoted_identifier && (iequals(t.text, "now") || iequals(t.text, "localtime"))) ||
                   t.kind == TokenKind::parameter;
        };
        const bool built_in = qualifier != Qualifier::other;
        bool known = built_in;
        if (built_in && random_function_set.contains(name)) {
            flag(statement_.random_function);
        } else if (built_in && volatile_function_set.contains(name)) {
            flag(statement_.volatile_function);
        } else if (built_in && one_of(name, now_sensitive)) {
            const bool no_time_value =
                args == args_end || (name == "strftime" && std::none_of(args, args_end, [](const Token& t) {
                                         return t.kind == TokenKind::punct && t.text == ",";
                                     }));
            if (no_time_value || std::any_of(args, args_end, means_now)) flag(statement_.volatile_function);
        } else if (!built_in || !pure_function_set.contains(name)) {
            if (statement_.unknown_functions.empty()) function_name(name);
            insert_sorted(statement_.unknown_functions, name);
            known = false;
        }
        if (known && qualifier == Qualifier::none) insert_sorted(statement_.unqualified_built_ins, name);
        if (built_in && name == "set_config") {
            statement_.sets_session = statement_.transaction_scoped = true;
            set_config_isolation(args, args_end);
            set_config_name(args, args_end);
        }
    }

    // PostgreSQL's date/time input 'now', 'today', 'tomorrow', 'yesterday' ('now'::timestamp,
    // date 'today'): the literal changes with the clock. As a plain value it only costs a bypass.
    static bool names_the_current_time(std::string_view literal) {
        if (literal.size() < 2 || literal.front() != '\'' || literal.back() != '\'') return false;
        std::string_view text = literal.substr(1, literal.size() - 2);
        while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        return iequals(text, "now") || iequals(text, "today") || iequals(text, "tomorrow") || iequals(text, "yesterday");
    }

    Qualifier qualifier_of(const Token* p) const {
        if (p - begin_ < 2 || !is_punct(p - 1, p, ".")) return Qualifier::none;
        const Token& schema = p[-2];
        const bool catalog = schema.kind == TokenKind::word ? iequals(schema.text, "pg_catalog") : schema.text == "pg_catalog";
        return catalog ? Qualifier::pg_catalog : Qualifier::other;
    }

    // A called function's name as the database resolves it: "Fn"(...) is not fn(...).
    static std::string function_name_of(const Token& name) {
        return name.kind == TokenKind::quoted_identifier ? std::string(name.text) : lower(name.text);
    }

    void function_name(const std::string& name) {
        if (function_.empty()) function_ = name;
        statement_.function = function_;
    }

    // One table reference of a FROM list (or an UPDATE/DELETE/USING list) and its alias.
    const Token* read_table_reference(const Token* p, const Token* end, Role role) {
        while (is_word(p, end, "lateral") || is_word(p, end, "only")) ++p;
        if (is_punct(p, end, "{") && is_word(p + 1, end, "oj")) p += 2;  // ODBC {oj ...}
        if (is_word(p, end, "rows") && is_word(p + 1, end, "from") && is_punct(p + 2, end, "(")) {  // ROWS FROM (f(), g())
            const Token* close = closing(p + 2, end);
            scan(p + 3, close, Mode{Role::read, Role::read, false, false});
            p = close + 1;
        } else if (is_punct(p, end, "(")) {
            const Token* close = closing(p, end);
            if (starts_query(p + 1, close)) analyze(p + 1, close);
            else scan(p + 1, close, Mode{role, role, true, false});  // a parenthesized join
            p = close + 1;
        } else {
            std::string name, schema;
            p = read_name(p, end, name, schema);
            if (is_punct(p, end, "(")) {  // a table function: generate_series(...) is not a table
                const Token* close = closing(p, end);
                note_function(function_name_of(p[-1]), p + 1, close, qualifier_of(p - 1));
                scan(p + 1, close, Mode{Role::read, Role::read, false, true});
                p = close + 1;
            } else {
                add_table(name, schema, role, p - 1);
                if (is_punct(p, end, "*")) ++p;  // PostgreSQL's "t *": t and its children
            }
        }
        // An alias: any name after AS (t AS set), a clause word only where no clause can begin
        // (SQLite's t window, u).
        const bool after_as = is_word(p, end, "as");
        if (after_as) ++p;
        const bool clause_word = p < end && p->kind == TokenKind::word && one_of(p->text, clause_words);
        if (is_name(p, end) && (after_as || !clause_word || p + 1 == end || is_punct(p + 1, end, ","))) {
            ++p;
            if (is_punct(p, end, "(")) p = closing(p, end) + 1;  // column aliases
        }
        return read_table_sample(p, end);
    }

    // TABLESAMPLE method (arguments) [REPEATABLE (seed)] after a table reference: rows drawn at
    // random (the method is a handler, not a call); even a seed draws others once the table's
    // layout changes (VACUUM FULL, CLUSTER).
    const Token* read_table_sample(const Token* p, const Token* end) {
        if (!is_word(p, end, "tablesample")) return p;
        std::string method, schema;
        const Token* arguments = read_name(p + 1, end, method, schema);
        if (!is_punct(arguments, end, "(")) return p;
        if (!statement_.random_function) {
            statement_.random_function = true;
            function_name("tablesample");
        }
        for (p = arguments;;) {  // the method's arguments, then REPEATABLE's
            const Token* close = closing(p, end);
            scan(p + 1, close, Mode{Role::read, Role::read, false, true});
            p = close + 1;
            if (!is_word(p, end, "repeatable") || !is_punct(p + 1, end, "(")) return p;
            ++p;
        }
    }

    struct Mode {
        Role list_role;      // role of references in a list in progress at the start
        Role from_role;      // role of references after FROM and JOIN
        bool starts_in_list; // the range begins with a table list (UPDATE a JOIN b ..., DELETE a, b ...)
        bool function_args;  // inside a function call: FROM is an argument keyword (EXTRACT(x FROM y))
    };

    // The general walk of one parenthesis level: FROM lists, JOINs, subqueries, function calls,
    // locking clauses and markers. Subqueries and parenthesized groups are walked recursively.
    void scan(const Token* p, const Token* end, Mode mode) {
        Depth depth(depth_);
        bool in_list = mode.starts_in_list;
        Role list_role = mode.list_role;
        if (in_list) p = read_table_reference(p, end, list_role);
        while (p < end) {
            const Token& t = *p;
            if (t.kind == TokenKind::parameter) {
                statement_.parameter_markers = true;
                ++p;
            } else if (t.kind == TokenKind::punct) {
                if (variables_ && t.text == "@" && p + 1 < end && p[1].text.data() == t.text.data() + 1 &&
                    (p[1].kind != TokenKind::punct || p[1].text == "@") && !statement_.volatile_function) {
                    // MySQL's @x and @@x: the session's variables, which SELECT @x := ... changes too
                    statement_.volatile_function = true;
                    function_name("@" + std::string(p[1].text));
                }
                if (t.text == "(") {
                    const Token* close = closing(p, end);
                    if (starts_query(p + 1, close)) analyze(p + 1, close);
                    else scan(p + 1, close, Mode{Role::read, Role::read, false, false});
                    p = close + 1;
                } else if (t.text == "," && in_list) {
                    p = read_table_reference(p + 1, end, list_role);
                } else {
                    ++p;
                }
            } else if (is_punct(p + 1, end, "(") && (t.kind == TokenKind::quoted_identifier ||
                                                     (t.kind == TokenKind::word && !not_function_set.contains(lower(t.text))))) {
                const Token* close = closing(p + 1, end);
                note_function(function_name_of(t), p + 2, close, qualifier_of(p));
                if (starts_query(p + 2, close)) analyze(p + 2, close);
                else scan(p + 2, close, Mode{Role::read, Role::read, false, true});
                p = close + 1;
            } else if (t.kind != TokenKind::word) {
                if (t.kind == TokenKind::string && names_the_current_time(t.text) && !statement_.volatile_function) {
                    statement_.volatile_function = true;
                    function_name(std::string(t.text));
                }
                ++p;
            } else {
                p = walk_word(p, end, mode, classify(t.text), in_list, list_role);
            }
        }
    }

    // A word of the general walk that is not a function call; returns where the walk goes on.
    const Token* walk_word(const Token* p, const Token* end, const Mode& mode, Word word, bool& in_list,
                           Role& list_role) {
        switch (word) {
        case Word::from:
        case Word::join:
            if (mode.function_args) break;  // EXTRACT(YEAR FROM d), SUBSTRING(s FROM 2)
            if (word == Word::from) list_role = mode.from_role;
            in_list = true;
            return read_table_reference(p + 1, end, list_role);
        case Word::using_:
            if (!in_list || is_punct(p + 1, end, "(")) break;
            list_role = Role::read;  // DELETE ... USING a, b
            return read_table_reference(p + 1, end, list_role);
        case Word::for_:
            if (is_word(p - 1, end, "index") || is_word(p - 1, end, "key")) {  // MySQL's FORCE INDEX FOR ORDER BY (i)
                if (is_word(p + 1, end, "join")) return p + 2;
                if ((is_word(p + 1, end, "order") || is_word(p + 1, end, "group")) && is_word(p + 2, end, "by")) return p + 3;
            }
            if (!(is_word(p + 1, end, "update") || is_word(p + 1, end, "share") || is_word(p + 1, end, "no") ||
                  is_word(p + 1, end, "key")))
                break;
            statement_.locking_read = true;
            return p + 2;
        case Word::lock:
            if (!is_word(p + 1, end, "in")) break;
            statement_.locking_read = true;  // LOCK IN SHARE MODE
            return p + 2;
        case Word::into:
            if (mode.function_args) break;
            return select_into(p + 1, end);
        case Word::in:  // SQLite's x IN t (and IN f(...)): x IN (SELECT * FROM t)
            if (mode.function_args || !is_name(p + 1, end)) break;
            return read_table_reference(p + 1, end, Role::read);
        case Word::table:  // PostgreSQL's TABLE t, alone or in a query: SELECT * FROM t
            if (!is_name(p + 1, end)) break;
            in_list = false;
            return read_table_reference(p + 1, end, Role::read);
        case Word::list_ender:
            in_list = false;
            break;
        case Word::volatile_value:
            if (!statement_.volatile_function) {
                statement_.volatile_function = true;
                function_name(lower(p->text));
            }
            break;
        case Word::other:
            break;
        }
        return p + 1;
    }

    // SELECT ... INTO [TEMP] [TABLE] name creates a table (PostgreSQL); INTO @v / OUTFILE too is no read.
    const Token* select_into(const Token* p, const Token* end) {
        statement_.select_into = true;
        bool temporary = false;
        while (is_word(p, end, "temp") || is_word(p, end, "temporary") || is_word(p, end, "unlogged") ||
               is_word(p, end, "table")) {
            temporary = temporary || is_word(p, end, "temp") || is_word(p, end, "temporary");
            ++p;
        }
        if (is_name(p, end) && !is_word(p, end, "outfile") && !is_word(p, end, "dumpfile")) {
            std::string name, schema;
            p = read_name(p, end, name, schema);
            add_table(name, schema, Role::write);
            if (temporary) temporaries_.insert(name);
        }
        return p;
    }

    // WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (body), ... then the statement.
    StatementKind with_clause(const Token* p, const Token* end) {
        const bool recursive = is_word(p, end, "recursive");
        if (recursive) ++p;
        size_t outer = ctes_.size();
        std::vector<std::pair<const Token*, const Token*>> bodies;
        std::vector<std::string> names;
        for (;;) {
            std::string name, schema;
            p = read_name(p, end, name, schema);
            names.push_back(function_name_of(p[-1]));
            if (is_punct(p, end, "(")) p = closing(p, end) + 1;
            if (!is_word(p, end, "as")) throw Failure("expected AS in WITH");
            ++p;
            if (is_word(p, end, "not")) ++p;
            if (is_word(p, end, "materialized")) ++p;
            if (!is_punct(p, end, "(")) throw Failure("expected ( in WITH");
            const Token* close = closing(p, end);
            bodies.emplace_back(p + 1, close);
            p = close + 1;
            if (!is_punct(p, end, ",")) break;
            ++p;
        }
        // A body sees the names before it (all of them, and itself, when RECURSIVE): elsewhere
        // a CTE's name inside its own body is the real table it shadows.
        for (size_t i = 0; i < bodies.size(); ++i) {
            ctes_.resize(outer);
            ctes_.insert(ctes_.end(), names.begin(), recursive ? names.end() : names.begin() + static_cast<long>(i));
            analyze(bodies[i].first, bodies[i].second);
        }
        ctes_.resize(outer);
        ctes_.insert(ctes_.end(), names.begin(), names.end());
        StatementKind kind = analyze(p, end);
        ctes_.resize(outer);
        return kind;
    }

    // Names separated by commas, each a table of `role`: DROP TABLE a, b / TRUNCATE a, b.
    const Token* name_list(const Token* p, const Token* end, Role role) {
        for (;;) {
            std::string name, schema;
            p = read_name(p, end, name, schema);
            add_table(name, schema, role);
            if (is_punct(p, end, "*")) ++p;
            if (!is_punct(p, end, ",")) return p;
            ++p;
        }
    }

    StatementKind analyze(const Token* p, const Token* end) {
        Depth depth(depth_);
        for (size_t peeled = 0; is_punct(p, end, "(") && closing(p, end) == end - 1; ++peeled) {  // (SELECT ...)
            if (peeled == max_depth) throw Failure("nested too deeply");
            ++p, --end;
        }
        if (p >= end) throw Failure("empty statement");
        if (is_punct(p, end, "{")) return odbc_call(p + 1, end);
        if (is_punct(p, end, "(") && starts_query(p, end)) {  // (SELECT ...) UNION (SELECT ...)
            scan(p, end, Mode{Role::read, Role::read, false, false});
            return StatementKind::select;
        }
        if (p->kind != TokenKind::word) throw Failure("statement does not start with a keyword");
        std::string first = lower(p->text);
        const Token* rest = p + 1;
        const Mode reading{Role::read, Role::read, false, false};

        if (first == "select" || first == "table") {
            scan(first == "table" ? p : rest, end, reading);
            return StatementKind::select;
        }
        if (first == "values") {
            scan(rest, end, reading);
            return StatementKind::values;
        }
        if (first == "with") return with_clause(rest, end);
        if (first == "insert" || first == "replace" || first == "upsert") {
            rest = skip_words(rest, end, {"or", "replace", "ignore", "rollback", "abort", "fail", "low_priority",
                                          "delayed", "high_priority"});
            if (is_word(rest, end, "into")) ++rest;  // INSERT INTO ignore: the table
            std::string name, schema;
            rest = read_name(rest, end, name, schema);
            add_table(name, schema, Role::write);
            scan(rest, end, reading);
            const bool replaces = first != "insert" || (is_word(p + 1, end, "or") && is_word(p + 2, end, "replace"));
            return replaces ? StatementKind::replace : StatementKind::insert;
        }
        if (first == "update") {
            if (is_word(rest, end, "or")) rest += 2;  // SQLite's UPDATE OR FAIL t
            // MySQL's UPDATE LOW_PRIORITY IGNORE t; elsewhere the word may be the table, aliased
            // (UPDATE ignore i SET ...): written too.
            while ((is_word(rest, end, "low_priority") || is_word(rest, end, "ignore")) && is_name(rest + 1, end) &&
                   !is_word(rest + 1, end, "set") && !is_word(rest + 1, end, "as")) {
                add_table(lower(rest->text), "", Role::write);
                ++rest;
            }
            scan(rest, end, Mode{Role::write, Role::read, true, false});
            return StatementKind::update;
        }
        if (first == "delete") {
            rest = skip_words(rest, end, {"low_priority", "quick", "ignore"});
            if (is_word(rest, end, "from")) scan(rest + 1, end, Mode{Role::write, Role::write, true, false});
            else scan(rest, end, Mode{Role::write, Role::write, true, false});  // MySQL: DELETE t1, t2 FROM ...
            return StatementKind::delete_;
        }
        if (first == "merge") {
            rest = skip_words(rest, end, {"into"});
            rest = read_table_reference(rest, end, Role::write);
            if (!is_word(rest, end, "using")) throw Failure("expected USING in MERGE");
            rest = read_table_reference(rest + 1, end, Role::read);
            scan(rest, end, reading);
            return StatementKind::merge;
        }
        if (first == "truncate") {
            rest = skip_words(rest, end, {"table", "only"});
            rest = name_list(rest, end, Role::write);
            for (const Token* q = rest; q < end; ++q)
                if (is_word(q, end, "cascade")) statement_.unclear_target = true;
            return StatementKind::truncate;
        }
        if (first == "copy") return copy(rest, end);
        if (first == "refresh" && is_word(rest, end, "materialized") && is_word(rest + 1, end, "view")) {
            std::string name, schema;
            read_name(skip_words(rest + 2, end, {"concurrently"}), end, name, schema);
            add_table(name, schema, Role::write);
            return StatementKind::refresh;
        }
        if (first == "create") return create(rest, end);
        if (first == "alter") return alter(rest, end);
        if (first == "drop") return drop(rest, end);
        if (first == "rename") {  // MySQL: RENAME TABLE a TO b, c TO d
            rest = skip_words(rest, end, {"table", "tables"});
            for (;;) {
                std::string name, schema;
                rest = read_name(rest, end, name, schema);
                add_table(name, schema, Role::write);
                if (is_word(rest, end, "to")) {
                    rest = read_name(rest + 1, end, name, schema);
                    add_table(name, schema, Role::write);
                }
                if (!is_punct(rest, end, ",")) break;
                ++rest;
            }
            return StatementKind::rename;
        }
        if (first == "grant" || first == "revoke") {
            statement_.unclear_target = true;
            return StatementKind::grant;
        }
        if (first == "begin" || (first == "start" && is_word(rest, end, "transaction"))) {
            isolation_level(rest, end);
            return StatementKind::begin;
        }
        // Two-phase commit: PREPARE TRANSACTION ends the connection's transaction; its writes
        // land at COMMIT PREPARED, which any connection may run.
        if (first == "prepare" && is_word(rest, end, "transaction")) return StatementKind::commit;
        if ((first == "commit" || first == "rollback") && is_word(rest, end, "prepared")) {
            statement_.unclear_target = true;
            return StatementKind::finish_prepared;
        }
        if (first == "commit" || first == "end") {
            statement_.and_chain = and_chain(rest, end);
            return StatementKind::commit;
        }
        if (first == "rollback" || first == "abort") {
            for (const Token* q = rest; q < end; ++q) statement_.to_savepoint = statement_.to_savepoint || is_word(q, end, "to");
            statement_.and_chain = and_chain(rest, end);
            return StatementKind::rollback;
        }
        if (first == "savepoint") return StatementKind::savepoint;
        if (first == "release") return StatementKind::release;
        if (first == "set" || first == "reset" || first == "use" || first == "discard" || first == "lock" ||
            first == "unlock" ||
            first == "prepare" || first == "deallocate" || first == "listen" || first == "unlisten") {
            isolation_level(rest, end);
            if ((first == "reset" || first == "discard") && is_word(rest, end, "all"))  // back to the server's default
                statement_.isolation = Statement::Isolation::above_read_committed;
            statement_.transaction_scoped = first == "set" && is_word(rest, end, "local");
            if (first == "set" || first == "reset") observable_setting(rest, end);
            else statement_.observable = first != "use";  // the server lists what DISCARD changes; no read sees a LOCK
            return StatementKind::session;
        }
        if (first == "attach" || first == "detach") {
            statement_.unclear_target = true;
            return StatementKind::session;
        }
        if (first == "call" || first == "exec" || first == "execute" || first == "do") {
            statement_.unclear_target = true;
            return StatementKind::call;
        }
        if (first == "explain") return explain(rest, end);
        // MySQL's DESCRIBE is EXPLAIN but for a table's name: DESCRIBE ANALYZE DELETE runs the DELETE.
        static constexpr std::string_view explaining[] = {"analyze", "format", "extended", "partitions", "select", "table",
                                                          "with", "values", "insert", "update", "delete", "replace"};
        if ((first == "describe" || first == "desc") &&
            (is_punct(rest, end, "(") || (rest < end && rest->kind == TokenKind::word && one_of(rest->text, explaining))))
            return explain(rest, end);
        if (first == "show" || first == "describe" || first == "desc") return StatementKind::show;
        if (first == "pragma") {  // PRAGMA x = v and PRAGMA x(v) set, but these read with an argument
            static constexpr std::string_view reading[] = {"table_info", "table_xinfo", "index_info", "index_xinfo",
                                                           "index_list", "foreign_key_list", "foreign_key_check",
                                                           "integrity_check", "quick_check", "table_list"};
            std::string name, schema;
            const Token* after = is_name(rest, end) ? read_name(rest, end, name, schema) : rest;
            if (is_punct(after, end, "=") || (is_punct(after, end, "(") && !one_of(name, reading))) return StatementKind::session;
            return StatementKind::show;
        }
        throw Failure("unknown statement " + first);
    }

    // SET [SESSION | LOCAL] name ..., RESET name: a setting pg_settings lists, a role (current_user),
    // or a custom setting (app.tenant) the server is asked for by name. Not seed (unlisted) nor
    // a quoted name.
    void observable_setting(const Token* p, const Token* end) {
        if ((is_word(p, end, "session") || is_word(p, end, "local")) && p + 1 < end && p[1].kind == TokenKind::word) ++p;
        if (p >= end || p->kind != TokenKind::word) return;
        std::string name = lower(p->text);
        if (is_punct(p + 1, end, ".")) {
            if (p + 2 >= end || p[2].kind != TokenKind::word || is_punct(p + 3, end, ".")) return;
            name += '.' + lower(p[2].text);
        }
        statement_.observable = note_setting_name(name);
    }

    // set_config('name', ...): observable when the name is a literal (see observable_setting).
    void set_config_name(const Token* p, const Token* end) {
        std::string name;
        if (!plain_literal(p, end, name) || !note_setting_name(lower(name))) unobservable_setting_ = true;
    }

    // Whether the server can be asked what setting `name` holds; a custom one joins custom_settings.
    bool note_setting_name(const std::string& name) {
        if (name.empty() || name == "seed") return false;
        if (name.find('.') != std::string::npos) statement_.custom_settings.push_back(name);
        return true;
    }

    // set_config('default_transaction_isolation' or 'transaction_isolation', 'level', ...).
    void set_config_isolation(const Token* p, const Token* end) {
        auto literal = [](const Token& t) { return t.text.size() >= 2 ? t.text.substr(1, t.text.size() - 2) : t.text; };
        if (p + 2 >= end || p->kind != TokenKind::string || !is_punct(p + 1, end, ",")) return;
        if (!iequals(literal(*p), "default_transaction_isolation") && !iequals(literal(*p), "transaction_isolation")) return;
        const std::string level = p[2].kind == TokenKind::string ? lower(literal(p[2])) : std::string();
        statement_.isolation = level == "read committed" || level == "read uncommitted"
                                   ? Statement::Isolation::read_committed
                                   : Statement::Isolation::above_read_committed;
    }

    // COMMIT/ROLLBACK ... AND CHAIN (not AND NO CHAIN): a new transaction begins at once.
    bool and_chain(const Token* p, const Token* end) const {
        for (; p < end; ++p)
            if (is_word(p, end, "and") && is_word(p + 1, end, "chain")) return true;
        return false;
    }

    // ISOLATION LEVEL x (BEGIN, SET TRANSACTION, SET SESSION CHARACTERISTICS) and the settings
    // that hold it (SET default_transaction_isolation = 'x'; RESET: the server's default,
    // which the connection does not know).
    void isolation_level(const Token* p, const Token* end) {
        for (; p < end; ++p) {
            if (is_word(p, end, "isolation") && is_word(p + 1, end, "level")) {
                const bool lower = is_word(p + 2, end, "read") &&
                                   (is_word(p + 3, end, "committed") || is_word(p + 3, end, "uncommitted"));
                statement_.isolation = lower ? Statement::Isolation::read_committed : Statement::Isolation::above_read_committed;
            } else if (p->kind == TokenKind::word &&
                       (is_word(p, end, "default_transaction_isolation") || is_word(p, end, "transaction_isolation") ||
                        is_word(p, end, "tx_isolation"))) {
                std::string value;
                for (const Token* v = p + 1; v < end && !is_punct(v, end, ",") && !is_punct(v, end, ";"); ++v)
                    if (v->kind == TokenKind::word || v->kind == TokenKind::string) value += lower(v->text) + " ";
                const bool lower_level = value.find("read committed") != std::string::npos ||
                                         value.find("read uncommitted") != std::string::npos ||
                                         value.find("read-committed") != std::string::npos ||
                                         value.find("read-uncommitted") != std::string::npos;
                statement_.isolation = lower_level ? Statement::Isolation::read_committed : Statement::Isolation::above_read_committed;
            }
        }
    }

    StatementKind odbc_call(const Token* p, const Token* end) {
        if (is_punct(p, end, "?") || (p < end && p->kind == TokenKind::parameter)) {
            statement_.parameter_markers = true;
            ++p;
            if (is_punct(p, end, "=")) ++p;
        }
        if (!is_word(p, end, "call")) throw Failure("unknown ODBC escape at statement start");
        statement_.unclear_target = true;
        for (const Token* q = p; q < end; ++q)
            if (q->kind == TokenKind::parameter) statement_.parameter_markers = true;
        return StatementKind::call;
    }

    StatementKind copy(const Token* p, const Token* end) {
        if (is_punct(p, end, "(")) {  // COPY (query) TO
            const Token* close = closing(p, end);
            analyze(p + 1, close);
            return StatementKind::copy_to;
        }
        if (is_word(p, end, "binary") && is_name(p + 1, end) && !is_word(p + 1, end, "from") && !is_word(p + 1, end, "to"))
            ++p;  // the old COPY BINARY t FROM
        std::string name, schema;
        p = read_name(p, end, name, schema);
        if (is_punct(p, end, "(")) p = closing(p, end) + 1;
        if (is_word(p, end, "from")) {
            add_table(name, schema, Role::write);
            return StatementKind::copy_from;
        }
        if (!is_word(p, end, "to")) throw Failure("COPY without FROM or TO");
        add_table(name, schema, Role::read);
        return StatementKind::copy_to;
    }

    StatementKind create(const Token* p, const Token* end) {
        bool temporary = false;
        for (;;) {
            if (is_word(p, end, "temp") || is_word(p, end, "temporary")) temporary = true;
            else if (!(is_word(p, end, "or") || is_word(p, end, "replace") || is_word(p, end, "unlogged") ||
                       is_word(p, end, "global") || is_word(p, end, "local") || is_word(p, end, "materialized") ||
                       is_word(p, end, "unique") || is_word(p, end, "recursive") || is_word(p, end, "virtual") ||
                       is_word(p, end, "foreign") || is_word(p, end, "definer") || is_word(p, end, "algorithm")))
                break;
            ++p;
        }
        std::string name, schema;
        if (is_word(p, end, "table") || is_word(p, end, "view")) {
            p = skip_words(p + 1, end, {"if", "not", "exists"});
            p = read_name(p, end, name, schema);
            add_table(name, schema, Role::write);
            // CREATE TABLE temp.x (SQLite), pg_temp.x (PostgreSQL): temporary as well
            if (temporary || schema == "temp" || schema.rfind("pg_temp", 0) == 0) temporaries_.insert(name);
            // Column definitions name other tables in REFERENCES: not reads, and no calls.
            if (is_punct(p, end, "(")) p = closing(p, end) + 1;
            for (const Token* q = p; q < end; ++q)
                if (is_word(q, end, "as") || is_word(q, end, "select")) {
                    const Token* query = is_word(q, end, "as") ? q + 1 : q;
                    if (query < end) analyze(query, end);
                    break;
                }
            return StatementKind::create;
        }
        if (is_word(p, end, "index") || is_word(p, end, "trigger")) {
            for (const Token* q = p; q < end; ++q)
                if (is_word(q, end, "on")) {
                    q = skip_words(q + 1, end, {"only"});
                    read_name(q, end, name, schema);
                    add_table(name, schema, Role::write);
                    return StatementKind::create;
                }
        }
        statement_.unclear_target = true;  // functions, schemas, types, sequences, roles...
        return StatementKind::create;
    }

    StatementKind alter(const Token* p, const Token* end) {
        if (is_word(p, end, "table") || is_word(p, end, "view")) {
            p = skip_words(p + 1, end, {"if", "exists", "only"});
            std::string name, schema;
            p = read_name(p, end, name, schema);
            add_table(name, schema, Role::write);
            for (const Token* q = p; q + 1 < end; ++q)
                if (is_word(q, end, "rename") && is_word(q + 1, end, "to")) {
                    read_name(q + 2, end, name, schema);
                    add_table(name, schema, Role::write);
                }
            return StatementKind::alter;
        }
        statement_.unclear_target = true;
        return StatementKind::alter;
    }

    StatementKind drop(const Token* p, const Token* end) {
        p = skip_words(p, end, {"materialized", "foreign"});
        if (is_word(p, end, "table") || is_word(p, end, "view")) {
            p = skip_words(p + 1, end, {"if", "exists"});
            p = name_list(p, end, Role::write);
            if (is_word(p, end, "cascade")) statement_.unclear_target = true;
            return StatementKind::drop;
        }
        statement_.unclear_target = true;
        return StatementKind::drop;
    }

    // EXPLAIN [ANALYZE] [VERBOSE] [(options)] [QUERY PLAN] statement: it runs the statement
    // only with ANALYZE, and then its writes count.
    StatementKind explain(const Token* p, const Token* end) {
        bool runs = false;
        for (;;) {
            if (is_word(p, end, "analyze") || is_word(p, end, "analyse")) {
                runs = true;
                ++p;
            } else if (is_punct(p, end, "(")) {
                const Token* close = closing(p, end);
                for (const Token* q = p; q < close; ++q)
                    if (is_word(q, close, "analyze") || is_word(q, close, "analyse"))
                        runs = !(is_word(q + 1, close, "false") || is_word(q + 1, close, "off"));
                p = close + 1;
            } else if (is_word(p, end, "verbose") || is_word(p, end, "query") || is_word(p, end, "plan") ||
                       is_word(p, end, "extended")) {
                ++p;
            } else if (is_word(p, end, "format") && is_punct(p + 1, end, "=")) {
                p += 3;
            } else {
                break;
            }
        }
        std::set<std::string> writes_before = writes_;
        analyze(p, end);
        if (!runs) writes_ = writes_before;
        return StatementKind::explain;
    }

    Statement& statement_;
    const bool variables_;  // @x and @@x name variables (PostgreSQL's @@ is text search's match)
    std::set<std::string> reads_, writes_, temporaries_;
    bool unobservable_setting_ = false;  // a set_config() whose setting is not named by a literal
    std::vector<std::string> ctes_;
    std::string function_;
    const Token* begin_ = nullptr;  // the statement's first token
    size_t depth_ = 0;
};

// Whether the CREATE statement at `p` defines code that may have a BEGIN ... END body: the
// kind of object comes before any other (CREATE TABLE t AS SELECT event, begin ... is none).
bool creates_code(const Token* p, const Token* end) {
    static constexpr std::string_view other_objects[] = {"table", "view", "index", "as", "select", "sequence",
                                                         "schema", "type", "domain", "database"};
    for (; p < end && !(p->kind == TokenKind::punct && (p->text == "(" || p->text == ";")); ++p) {
        if (p->kind != TokenKind::word) continue;
        if (iequals(p->text, "trigger") || iequals(p->text, "function") || iequals(p->text, "procedure") ||
            iequals(p->text, "event"))
            return true;
        if (one_of(p->text, other_objects)) return false;
    }
    return false;
}

// Splits tokens into statements at ';' outside parentheses and outside BEGIN ... END bodies
// of CREATE TRIGGER / FUNCTION / PROCEDURE (elsewhere "begin" may be a column's name; so may
// it be in parentheses, WHEN (OLD.begin <> NEW.begin), or after a dot).
std::vector<std::pair<const Token*, const Token*>> split(const std::vector<Token>& tokens) {
    std::vector<std::pair<const Token*, const Token*>> statements;
    const Token* start = tokens.data();
    const Token* end = tokens.data() + tokens.size();
    int parens = 0, blocks = 0;
    bool body_allowed = false;
    for (const Token* p = start; p < end; ++p) {
        if (p->kind == TokenKind::word) {
            if (p == start && iequals(p->text, "create")) body_allowed = creates_code(p + 1, end);
            const bool keyword = body_allowed && parens <= 0 && !(p > start && is_punct(p - 1, end, "."));
            if (keyword && (iequals(p->text, "begin") || iequals(p->text, "case"))) ++blocks;
            else if (keyword && blocks > 0 && iequals(p->text, "end")) --blocks;
        } else if (p->kind == TokenKind::punct) {
            if (p->text == "(") ++parens;
            else if (p->text == ")") --parens;
            else if (p->text == ";" && parens <= 0 && blocks == 0) {
                if (p > start) statements.emplace_back(start, p);
                start = p + 1;
                parens = 0;
                body_allowed = false;
            }
        }
    }
    if (start < end) statements.emplace_back(start, end);
    return statements;
}

// Why `s` may not be cached, empty when it may; `random_allowed` lets random functions pass
// (CacheRandom).
std::string reason_against(const Statement& s, bool random_allowed) {
    auto with_function = [&](const char* what) { return std::string(what) + ": " + s.function; };
    if (s.kind == StatementKind::unknown) return s.reason.empty() ? "could not be parsed" : s.reason;
    if (s.kind != StatementKind::select && s.kind != StatementKind::values)
        return std::string("not a read: ") + kind_name(s.kind);
    if (!s.writes.empty()) return "writes (a data-modifying WITH or SELECT ... INTO)";
    if (s.select_into) return "SELECT ... INTO";
    if (s.locking_read) return "locking read (FOR UPDATE/SHARE)";
    if (s.system_catalog) return "reads a system catalog: " + s.catalog_table;
    if (s.random_function && !random_allowed) return with_function("uses a random function");
    if (s.volatile_function) return with_function("uses a volatile function");
    if (!s.unknown_functions.empty()) return with_function("calls a function not known to be pure");
    return {};
}

void decide_cachable(Statement& s) {
    s.reason = reason_against(s, false);
    s.cachable = s.reason.empty();
    s.cachable_with_random = s.cachable || (s.random_function && reason_against(s, true).empty());
}

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

}  // namespace

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

bool is_known_built_in(std::string_view name) {
    return pure_function_set.contains(name) || volatile_function_set.contains(name) ||
           random_function_set.contains(name) || one_of(name, now_sensitive);
}

std::vector<std::string> operator_runs(std::string_view sql, Dialect dialect) {
    constexpr std::string_view operator_chars = "+-*/<>=~!@#%^&|`?";
    std::vector<std::string> runs;
    std::vector<Token> tokens;
    if (!tokenize(sql, dialect, tokens)) tokens.assign(1, Token{TokenKind::punct, sql});
    const char* run_end = nullptr;  // where the last run ends in `sql`
    for (const Token& t : tokens) {
        if (t.kind != TokenKind::punct) continue;
        for (std::size_t i = 0; i < t.text.size(); ++i) {
            const char* at = t.text.data() + i;
            if (operator_chars.find(*at) == std::string_view::npos) {
                run_end = nullptr;
                continue;
            }
            if (at != run_end || runs.empty()) runs.emplace_back();
            runs.back() += *at;
            run_end = at + 1;
        }
    }
    return runs;
}

namespace {

// Words of PL/pgSQL and SQL that come before a parenthesis without calling a function.
constexpr std::string_view code_words[] = {"if", "elsif", "while", "return", "values", "in", "exists", "array", "any",
                                           "all", "some", "over", "filter", "within", "using", "as", "on", "query",
                                           "perform", "raise", "loop", "next", "for", "foreach"};
// Words after which PL/pgSQL begins a statement.
constexpr std::string_view statement_openers[] = {"begin", "then", "else", "loop", "atomic"};
// DDL and GRANT in code: what they change is not known (a table dropped and made again holds
// other rows, a view made again reads other tables).
constexpr std::string_view schema_words[] = {"create", "drop", "alter", "grant", "revoke", "refresh", "import", "reassign"};

// What code is found to run, gathered sorted and unique.
struct CodeFound {
    std::set<std::string> tables, calls, built_ins, custom_settings;
    bool sets_session = false;

    CodeWrites known() const {
        CodeWrites code;
        code.known = true;
        code.tables.assign(tables.begin(), tables.end());
        code.calls.assign(calls.begin(), calls.end());
        code.built_ins.assign(built_ins.begin(), built_ins.end());
        code.sets_session = sets_session;
        code.custom_settings.assign(custom_settings.begin(), custom_settings.end());
        return code;
    }
};

// A PL/pgSQL body, a rule's definition, SQLite's CREATE TRIGGER: walked token by token.
CodeWrites scan_procedural_code(const std::vector<Token>& tokens) {
    const Token* const begin = tokens.data();
    const Token* const end = begin + tokens.size();
    CodeFound found;
    // SQLite's OR REPLACE, OR IGNORE... and the words before a table's name.
    auto skip_modifiers = [&](const Token* p) {
        return skip_words(p, end, {"or", "ignore", "replace", "abort", "fail", "rollback", "only", "table"});
    };
    // The table named at `p` (its schema dropped); returns where the walk goes on.
    auto written = [&](const Token* p) {
        p = skip_modifiers(p);
        if (!is_name(p, end)) return p;
        std::string name, schema;
        p = read_name(p, end, name, schema);
        found.tables.insert(name);
        return p;
    };
    // A setting the code names: one the server lists, or a custom one it is asked for by name.
    auto set_setting = [&](const std::string& name) {
        found.sets_session = true;
        if (name.find('.') != std::string::npos) found.custom_settings.insert(lower(name));
    };
    // A rule's or a trigger's definition opens with its own CREATE.
    const Token* body = is_word(begin, end, "create") ? begin + 1 : begin;
    for (const Token* p = body; p < end; ++p) {
        const bool call = is_punct(p + 1, end, "(");
        const bool after_dot = p > begin && is_punct(p - 1, end, ".");
        if (p->kind == TokenKind::quoted_identifier && call) {  // "Log"(...), app."Log"(...): no built-in
            found.calls.emplace(p->text);
            continue;
        }
        if (p->kind != TokenKind::word) continue;
        const std::string word = lower(p->text);
        if (after_dot && !call) continue;  // NEW.x, s.t
        const bool in_pg_catalog = after_dot && p - 2 >= begin && is_word(p - 2, end, "pg_catalog");
        if (after_dot && !in_pg_catalog) {  // s.f(): a user's function, whatever its name
            found.calls.insert(word);
            continue;
        }
        if (!after_dot && (word == "execute" || word == "call")) return {};  // EXECUTE ('DELETE ...') too
        if (call && (in_pg_catalog || (!one_of(word, code_words) && !not_function_set.contains(word)))) {
            if (!is_known_built_in(word)) found.calls.insert(word);
            else if (!in_pg_catalog) found.built_ins.insert(word);
            if (word == "set_config") {
                std::string name;
                if (!plain_literal(p + 2, end, name)) return {};  // which setting, unknown
                set_setting(name);
            }
            continue;
        }
        if (one_of(word, schema_words)) return {};
        const bool opens_statement = p == body || is_punct(p - 1, end, ";") ||
                                     (p[-1].kind == TokenKind::word && one_of(p[-1].text, statement_openers));
        if (opens_statement && (word == "reset" || word == "discard")) found.sets_session = true;
        if (opens_statement && word == "set") {  // SET [SESSION | LOCAL] name ...
            const Token* name = skip_words(p + 1, end, {"session", "local"});
            std::string text = name < end ? std::string(name->text) : std::string();
            if (is_punct(name + 1, end, ".") && name + 2 < end) text += '.' + std::string(name[2].text);
            set_setting(text);
        }
        const Token* next = skip_modifiers(p + 1);
        const Token* after = nullptr;
        if (((word == "insert" || word == "replace" || word == "merge") && is_word(next, end, "into")) ||
            (word == "delete" && is_word(next, end, "from"))) {  // not a trigger's or a rule's event: INSERT ON t
            after = written(next + 1);
        } else if (word == "update" && !(p > begin && is_word(p - 1, end, "for")) && !is_word(next, end, "of") &&
                   !is_word(next, end, "on") && !is_word(next, end, "to") && !is_word(next, end, "set")) {
            after = written(next);  // not FOR UPDATE, DO UPDATE SET, nor an event: UPDATE OF c ON t
        } else if (word == "truncate" || word == "copy") {
            for (after = written(next); is_punct(after, end, ",");) after = written(after + 1);
        }
        if (after) p = after - 1;
    }
    return found.known();
}

}  // namespace

// Statements the scanner read as code: a LANGUAGE sql function's body, a view's definition.
CodeWrites statements_code(const std::vector<Statement>& statements) {
    CodeFound found;
    using K = StatementKind;
    for (const Statement& s : statements) {
        switch (s.kind) {
        case K::create: case K::alter: case K::drop: case K::rename: case K::grant: case K::call:
        case K::finish_prepared: case K::unknown:
            return {};
        default: break;
        }
        if (s.select_into || s.unclear_target) return {};  // SELECT ... INTO makes a table
        if (s.kind == K::session || s.sets_session) {
            if (!s.observable) return {};
            found.sets_session = true;
            found.custom_settings.insert(s.custom_settings.begin(), s.custom_settings.end());
        }
        found.tables.insert(s.writes.begin(), s.writes.end());
        found.calls.insert(s.unknown_functions.begin(), s.unknown_functions.end());
        found.built_ins.insert(s.unqualified_built_ins.begin(), s.unqualified_built_ins.end());
    }
    return found.known();
}

CodeWrites scan_code_writes(std::string_view code, Dialect dialect, CodeLanguage language) {
    try {
        if (language == CodeLanguage::statements) return statements_code(scan(code, dialect));
        std::vector<Token> tokens;
        if (!tokenize(code, dialect, tokens)) return {};
        return scan_procedural_code(tokens);
    } catch (...) {  // allocation failure, a name the walk could not read: unknown
        return {};
    }
}

namespace {
std::uint64_t shape_of(const Token* begin, const Token* end) {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
    auto mix = [&](unsigned char byte) { hash = (hash ^ byte) * 1099511628211ull; };
    for (const Token* t = begin; t != end; ++t) {
        mix(static_cast<unsigned char>(t->kind) + 1);  // the kind, and the end of the last token
        if (t->kind != TokenKind::string && t->kind != TokenKind::number)
            for (char c : t->text) mix(static_cast<unsigned char>(c));
    }
    return hash;
}
}  // namespace

std::vector<Statement> scan(std::string_view sql, Dialect dialect) {
    std::vector<Statement> result;
    try {
        std::vector<Token> tokens;
        tokens.reserve(sql.size() / 4 + 8);
        if (!tokenize(sql, dialect, tokens)) {
            Statement unreadable;
            unreadable.reason = "could not be parsed: an unterminated string, identifier or comment, or SQL in a MySQL comment";
            decide_cachable(unreadable);
            result.push_back(std::move(unreadable));
            return result;
        }
        for (auto [begin, end] : split(tokens)) {
            Statement statement;
            Analyzer(statement, dialect).run(begin, end);
            decide_cachable(statement);
            statement.shape = shape_of(begin, end);
            result.push_back(std::move(statement));
        }
    } catch (...) {  // allocation failure: still an answer, never an exception
        result.clear();
        Statement failed;
        failed.reason = "could not be parsed: out of memory";
        result.push_back(std::move(failed));
    }
    return result;
}

const char* kind_name(StatementKind kind) {
    switch (kind) {
    case StatementKind::select: return "select";
    case StatementKind::values: return "values";
    case StatementKind::insert: return "insert";
    case StatementKind::update: return "update";
    case StatementKind::delete_: return "delete";
    case StatementKind::merge: return "merge";
    case StatementKind::replace: return "replace";
    case StatementKind::truncate: return "truncate";
    case StatementKind::copy_from: return "copy_from";
    case StatementKind::copy_to: return "copy_to";
    case StatementKind::refresh: return "refresh";
    case StatementKind::create: return "create";
    case StatementKind::alter: return "alter";
    case StatementKind::drop: return "drop";
    case StatementKind::rename: return "rename";
    case StatementKind::grant: return "grant";
    case StatementKind::begin: return "begin";
    case StatementKind::commit: return "commit";
    case StatementKind::rollback: return "rollback";
    case StatementKind::savepoint: return "savepoint";
    case StatementKind::release: return "release";
    case StatementKind::finish_prepared: return "finish_prepared";
    case StatementKind::session: return "session";
    case StatementKind::call: return "call";
    case StatementKind::explain: return "explain";
    case StatementKind::show: return "show";
    case StatementKind::unknown: return "unknown";
    }
    return "unknown";
}

Dialect dialect_from_dbms_name(std::string_view dbms_name) {
    std::string name = lower(dbms_name);
    if (name.find("postgres") != std::string::npos) return Dialect::postgresql;
    if (name.find("mysql") != std::string::npos || name.find("mariadb") != std::string::npos) return Dialect::mysql;
    if (name.find("sqlite") != std::string::npos) return Dialect::sqlite;
    return Dialect::generic;
}

bool parse_dialect(std::string_view name, Dialect& dialect) {
    constexpr std::pair<std::string_view, Dialect> names[] = {{"generic", Dialect::generic},
                                                              {"postgresql", Dialect::postgresql},
                                                              {"mysql", Dialect::mysql},
                                                              {"mariadb", Dialect::mysql},
                                                              {"sqlite", Dialect::sqlite}};
    for (auto [text, value] : names)
        if (iequals(name, text)) {
            dialect = value;
            return true;
        }
    return false;
}

std::string to_json(const Statement& statement) {
    std::string out = "{\"kind\":\"";
    out += kind_name(statement.kind);
    out += "\",\"reads\":[";
    for (size_t i = 0; i < statement.reads.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, statement.reads[i]);
    }
    out += "],\"writes\":[";
    for (size_t i = 0; i < statement.writes.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, statement.writes[i]);
    }
    out += "],\"cachable\":";
    out += statement.cachable ? "true" : "false";
    out += ",\"reason\":";
    if (statement.cachable) out += "null";
    else append_json_string(out, statement.reason);
    out += '}';
    return out;
}

}  // namespace cachalot::sqlscan
