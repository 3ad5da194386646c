/*
 * packlab's launcher: starts a process of a Cloud Native Buildpacks app image, as the platform
 * spec's /cnb/lifecycle/launcher does (platform.md "launcher", buildpack.md "Launch",
 * "Environment", "Exec.d"). It is a static program, so it runs on run images without a shell or a
 * C library.
 *
 *   /cnb/process/<type> [<arg>...]               the process <type> (a link to this program)
 *   /cnb/lifecycle/launcher [--] <cmd> [<arg>...] a command; with `--` without a shell
 *   /cnb/lifecycle/launcher [<arg>...]            the process $CNB_PROCESS_TYPE, if set
 *
 * It reads <layers>/config/metadata.toml (the format is described in packlab's
 * cnb/platform/LifecycleImage.java: [[buildpacks]] id, api in build order;
 * [[processes]] type, command, args, direct, default, working-dir, buildpack-id), applies the
 * launch layers' bin/, lib/, env/, env.launch/ and env.launch/<type>/ over the container's own
 * environment in buildpack order, runs the exec.d programs (fd 3 carries their TOML), and then
 * execs the command: directly, or through bash (sh when there is no bash) after sourcing the
 * profile.d scripts and the app's .profile.
 *
 * Exit codes before the process runs: 11 Platform API, 12 Buildpack API, 82 any other launch
 * error; afterwards the process's own.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_PLATFORM_API 11
#define EXIT_BUILDPACK_API 12
#define EXIT_LAUNCH 82

extern char **environ;

/* ---------------------------------------------------------------------------------------------
 * Small helpers: failures, memory, strings, lists
 * ------------------------------------------------------------------------------------------- */

static void die(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

static void die(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("launcher: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        die(EXIT_LAUNCH, "out of memory");
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* A growing byte buffer, always NUL-terminated. */
struct buf {
    char *s;
    size_t n, cap;
};

static void buf_addn(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void buf_add(struct buf *b, const char *s)
{
    buf_addn(b, s, strlen(s));
}

static void buf_addc(struct buf *b, char c)
{
    buf_addn(b, &c, 1);
}

static char *buf_take(struct buf *b)
{
    if (!b->s) {
        return xstrdup("");
    }
    char *s = b->s;
    b->s = NULL;
    b->n = b->cap = 0;
    return s;
}

static char *concat(const char *a, const char *b, const char *c)
{
    struct buf r = {0};
    buf_add(&r, a);
    buf_add(&r, b);
    buf_add(&r, c);
    return buf_take(&r);
}

static char *path_join(const char *dir, const char *name)
{
    return concat(dir, "/", name);
}

/* A growing list of strings. */
struct strs {
    char **v;
    size_t n, cap;
};

static void strs_add(struct strs *l, char *s)
{
    if (l->n + 2 > l->cap) {
        l->cap = (l->n + 2) * 2;
        l->v = xrealloc(l->v, l->cap * sizeof(char *));
    }
    l->v[l->n++] = s;
    l->v[l->n] = NULL;
}

static void strs_add_all(struct strs *l, const struct strs *from, size_t start)
{
    for (size_t i = start; i < from->n; i++) {
        strs_add(l, from->v[i]);
    }
}

/* "0.10" -> 10, "1.2" -> 1002; -1 when it is not MAJOR.MINOR */
static int api_version(const char *text)
{
    if (!text) {
        return -1;
    }
    char *end;
    errno = 0;
    long major = strtol(text, &end, 10);
    if (end == text || *end != '.' || errno) {
        return -1;
    }
    const char *m = end + 1;
    long minor = strtol(m, &end, 10);
    if (end == m || *end != '\0' || errno || major < 0 || minor < 0 || major > 1000 || minor > 999) {
        return -1;
    }
    return (int)(major * 1000 + minor);
}

/* The whole file, NUL-terminated; NULL with errno set when it cannot be read. */
static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return NULL;
    }
    struct buf b = {0};
    char chunk[8192];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            int saved = errno;
            close(fd);
            free(b.s);
            errno = saved;
            return NULL;
        }
        if (r == 0) {
            break;
        }
        buf_addn(&b, chunk, (size_t)r);
    }
    close(fd);
    if (len) {
        *len = b.n;
    }
    return buf_take(&b);
}

static int is_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names in a folder, sorted by their bytes: its folders (not links to folders) when
 * want_dirs, else everything else that is not a folder (links to folders are left out).
 * A folder that does not exist is empty.
 */
static struct strs list_dir(const char *dir, int want_dirs)
{
    struct strs out = {0};
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return out;
        }
        die(EXIT_LAUNCH, "cannot list %s: %s", dir, strerror(errno));
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
            continue;
        }
        char *full = path_join(dir, e->d_name);
        struct stat st;
        int dir_entry = lstat(full, &st) == 0 && S_ISDIR(st.st_mode);
        int link_to_dir = !dir_entry && S_ISLNK(st.st_mode) && stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        free(full);
        if (want_dirs ? dir_entry : !(dir_entry || link_to_dir)) {
            strs_add(&out, xstrdup(e->d_name));
        }
    }
    closedir(d);
    if (out.n > 1) {
        qsort(out.v, out.n, sizeof(char *), by_name);
    }
    return out;
}

/* ---------------------------------------------------------------------------------------------
 * A TOML reader for what the launcher reads: metadata.toml, <layer>.toml and exec.d output.
 * Tables, arrays of tables, bare and quoted keys, the four kinds of strings, booleans, arrays
 * (of strings, kept) and inline tables and other scalars (read and ignored).
 * ------------------------------------------------------------------------------------------- */

enum value_kind { V_STRING, V_ARRAY, V_BOOL, V_OTHER };

struct value {
    enum value_kind kind;
    char *str;         /* V_STRING */
    struct strs items; /* V_ARRAY: its string elements */
    int only_strings;  /* V_ARRAY: every element is a string */
    int boolean;       /* V_BOOL */
};

/* Called for each key = value (key NULL: a new [[table]] element begins). */
typedef void (*toml_fn)(void *ctx, const char *table, const char *key, const struct value *v, int line);

struct parser {
    const char *s;
    size_t i, n;
    int line;
    char err[200];
};

static int fail(struct parser *p, const char *what)
{
    snprintf(p->err, sizeof p->err, "line %d: %s", p->line, what);
    return -1;
}

static int at(struct parser *p, size_t k)
{
    return p->i + k < p->n ? (unsigned char)p->s[p->i + k] : -1;
}

static void skip_blanks(struct parser *p)
{
    while (at(p, 0) == ' ' || at(p, 0) == '\t') {
        p->i++;
    }
}

static void skip_comment(struct parser *p)
{
    if (at(p, 0) == '#') {
        while (p->i < p->n && p->s[p->i] != '\n') {
            p->i++;
        }
    }
}

/* Blanks, newlines and comments (inside arrays, and between lines). */
static void skip_space(struct parser *p)
{
    for (;;) {
        skip_blanks(p);
        skip_comment(p);
        if (at(p, 0) == '\r' && at(p, 1) == '\n') {
            p->i++;
        }
        if (at(p, 0) == '\n') {
            p->i++;
            p->line++;
            continue;
        }
        return;
    }
}

static void put_utf8(struct buf *b, unsigned long c)
{
    if (c < 0x80) {
        buf_addc(b, (char)c);
    } else if (c < 0x800) {
        buf_addc(b, (char)(0xC0 | (c >> 6)));
        buf_addc(b, (char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        buf_addc(b, (char)(0xE0 | (c >> 12)));
        buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
        buf_addc(b, (char)(0x80 | (c & 0x3F)));
    } else {
        buf_addc(b, (char)(0xF0 | (c >> 18)));
        buf_addc(b, (char)(0x80 | ((c >> 12) & 0x3F)));
        buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
        buf_addc(b, (char)(0x80 | (c & 0x3F)));
    }
}

/* A string; the parser is at its opening quote. */
static int parse_string(struct parser *p, char **out)
{
    char quote = p->s[p->i];
    int multi = at(p, 1) == quote && at(p, 2) == quote;
    p->i += multi ? 3 : 1;
    if (multi) { /* a newline right after the opening quotes is not part of the string */
        if (at(p, 0) == '\r' && at(p, 1) == '\n') {
            p->i++;
        }
        if (at(p, 0) == '\n') {
            p->i++;
            p->line++;
        }
    }
    struct buf b = {0};
    for (;;) {
        int c = at(p, 0);
        if (c < 0) {
            free(b.s);
            return fail(p, "a string is not closed");
        }
        if (c == quote && (!multi || (at(p, 1) == quote && at(p, 2) == quote))) {
            if (multi) { /* up to two more quotes just before the closing ones belong to the string */
                while (at(p, 3) == quote) {
                    buf_addc(&b, quote);
                    p->i++;
                }
            }
            p->i += multi ? 3 : 1;
            *out = buf_take(&b);
            return 0;
        }
        if (c == '\n') {
            if (!multi) {
                free(b.s);
                return fail(p, "a string is not closed on its line");
            }
            p->line++;
        }
        if (c == '\\' && quote == '"') {
            int e = at(p, 1);
            p->i += 2;
            switch (e) {
            case 'b': buf_addc(&b, '\b'); break;
            case 't': buf_addc(&b, '\t'); break;
            case 'n': buf_addc(&b, '\n'); break;
            case 'f': buf_addc(&b, '\f'); break;
            case 'r': buf_addc(&b, '\r'); break;
            case 'e': buf_addc(&b, 27); break;
            case '"': buf_addc(&b, '"'); break;
            case '\\': buf_addc(&b, '\\'); break;
            case 'u':
            case 'U': {
                int digits = e == 'u' ? 4 : 8;
                unsigned long code = 0;
                for (int k = 0; k < digits; k++) {
                    int h = at(p, 0);
                    int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                            : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (v < 0) {
                        free(b.s);
                        return fail(p, "a \\u escape needs hexadecimal digits");
                    }
                    code = code * 16 + (unsigned long)v;
                    p->i++;
                }
                if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                    free(b.s);
                    return fail(p, "a \\u escape is not a Unicode scalar value");
                }
                put_utf8(&b, code);
                break;
            }
            default:
                if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
                    /* a line-ending backslash: the newline and the blanks after it go */
                    p->i--;
                    while (at(p, 0) == ' ' || at(p, 0) == '\t' || at(p, 0) == '\r' || at(p, 0) == '\n') {
                        if (at(p, 0) == '\n') {
                            p->line++;
                        }
                        p->i++;
                    }
                    break;
                }
                free(b.s);
                return fail(p, "a string has an unknown escape");
            }
            continue;
        }
        buf_addc(&b, (char)c);
        p->i++;
    }
}

static int parse_key(struct parser *p, char **out)
{
    struct buf b = {0};
    for (;;) {
        skip_blanks(p);
        int c = at(p, 0);
        if (c == '"' || c == '\'') {
            char *part;
            if (parse_string(p, &part) < 0) {
                free(b.s);
                return -1;
            }
            buf_add(&b, part);
            free(part);
        } else {
            size_t start = p->i;
            while (p->i < p->n && (isalnum((unsigned char)p->s[p->i]) || p->s[p->i] == '_' || p->s[p->i] == '-')) {
                p->i++;
            }
            if (p->i == start) {
                free(b.s);
                return fail(p, "a key was expected");
            }
            buf_addn(&b, p->s + start, p->i - start);
        }
        skip_blanks(p);
        if (at(p, 0) != '.') {
            break;
        }
        p->i++;
        buf_addc(&b, '.'); /* dotted keys are kept whole: the launcher reads none */
    }
    *out = buf_take(&b);
    return 0;
}

static int parse_value(struct parser *p, struct value *v);

static int parse_inline_table(struct parser *p)
{
    p->i++;
    skip_blanks(p);
    if (at(p, 0) == '}') {
        p->i++;
        return 0;
    }
    for (;;) {
        char *key;
        struct value inner;
        if (parse_key(p, &key) < 0) {
            return -1;
        }
        free(key);
        skip_blanks(p);
        if (at(p, 0) != '=') {
            return fail(p, "`=` was expected after a key");
        }
        p->i++;
        skip_blanks(p);
        if (parse_value(p, &inner) < 0) {
            return -1;
        }
        skip_blanks(p);
        if (at(p, 0) == ',') {
            p->i++;
            continue;
        }
        if (at(p, 0) == '}') {
            p->i++;
            return 0;
        }
        return fail(p, "`,` or `}` was expected in an inline table");
    }
}

static int parse_value(struct parser *p, struct value *v)
{
    memset(v, 0, sizeof *v);
    int c = at(p, 0);
    if (c == '"' || c == '\'') {
        v->kind = V_STRING;
        return parse_string(p, &v->str);
    }
    if (c == '[') {
        v->kind = V_ARRAY;
        v->only_strings = 1;
        p->i++;
        for (;;) {
            skip_space(p);
            if (at(p, 0) == ']') {
                p->i++;
                return 0;
            }
            struct value item;
            if (parse_value(p, &item) < 0) {
                return -1;
            }
            if (item.kind == V_STRING) {
                strs_add(&v->items, item.str);
            } else {
                v->only_strings = 0;
            }
            skip_space(p);
            if (at(p, 0) == ',') {
                p->i++;
            } else if (at(p, 0) != ']') {
                return fail(p, "`,` or `]` was expected in an array");
            }
        }
    }
    if (c == '{') {
        v->kind = V_OTHER;
        return parse_inline_table(p);
    }
    size_t start = p->i;
    while (p->i < p->n && !strchr(" \t\r\n,]}#", p->s[p->i])) {
        p->i++;
    }
    if (p->i == start) {
        return fail(p, "a value was expected");
    }
    size_t len = p->i - start;
    if (len == 4 && !strncmp(p->s + start, "true", 4)) {
        v->kind = V_BOOL;
        v->boolean = 1;
    } else if (len == 5 && !strncmp(p->s + start, "false", 5)) {
        v->kind = V_BOOL;
    } else {
        v->kind = V_OTHER; /* numbers, dates: nothing the launcher reads */
    }
    return 0;
}

/* A table header; the parser is at its `[`. */
static int parse_header(struct parser *p, char **table, int *array)
{
    *array = at(p, 1) == '[';
    p->i += *array ? 2 : 1;
    char *name;
    if (parse_key(p, &name) < 0) {
        return -1;
    }
    if (at(p, 0) != ']' || (*array && at(p, 1) != ']')) {
        free(name);
        return fail(p, *array ? "`]]` was expected after a table name" : "`]` was expected after a table name");
    }
    p->i += *array ? 2 : 1;
    *table = name;
    return 0;
}

/* Reads a whole document; 0, or -1 with p->err set. */
static int toml_parse(const char *text, size_t len, toml_fn fn, void *ctx, char *err, size_t errlen)
{
    struct parser p = {text, 0, len, 1, ""};
    char *table = xstrdup("");
    int rc = 0;
    for (;;) {
        skip_space(&p);
        if (p.i >= p.n) {
            break;
        }
        int line = p.line;
        if (at(&p, 0) == '[') {
            int array;
            char *name = NULL;
            if (parse_header(&p, &name, &array) < 0) {
                rc = -1;
                break;
            }
            free(table);
            table = name;
            if (array) {
                fn(ctx, table, NULL, NULL, line);
            }
        } else {
            char *key;
            struct value v;
            if (parse_key(&p, &key) < 0) {
                rc = -1;
                break;
            }
            skip_blanks(&p);
            if (at(&p, 0) != '=') {
                free(key);
                rc = fail(&p, "`=` was expected after a key");
                break;
            }
            p.i++;
            skip_blanks(&p);
            if (parse_value(&p, &v) < 0) {
                free(key);
                rc = -1;
                break;
            }
            fn(ctx, table, key, &v, line);
            free(key);
        }
        skip_blanks(&p);
        skip_comment(&p);
        if (at(&p, 0) == '\r' && at(&p, 1) == '\n') {
            p.i++;
        }
        if (p.i < p.n && at(&p, 0) != '\n') {
            rc = fail(&p, "the line goes on after its value");
            break;
        }
    }
    free(table);
    if (rc < 0) {
        snprintf(err, errlen, "%s", p.err);
    }
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * metadata.toml
 * ------------------------------------------------------------------------------------------- */

struct process {
    char *type;
    struct strs command;
    struct strs args;
    int direct;
    int is_default;
    char *working_dir;
    char *buildpack_id;
    int line;
};

struct buildpack {
    char *id;
    char *api;
    int api_version;
};

struct metadata {
    const char *file;
    struct process *processes;
    size_t nprocesses;
    struct buildpack *buildpacks;
    size_t nbuildpacks;
    char *default_type;
    char problem[300];
};

static void bad_value(struct metadata *m, int line, const char *table, const char *key, const char *want)
{
    if (!m->problem[0]) {
        snprintf(m->problem, sizeof m->problem, "%s:%d: `%s` of [[%s]] must be %s", m->file, line, key, table, want);
    }
}

static void on_metadata(void *ctx, const char *table, const char *key, const struct value *v, int line)
{
    struct metadata *m = ctx;
    if (!strcmp(table, "processes")) {
        if (!key) {
            m->processes = xrealloc(m->processes, (m->nprocesses + 1) * sizeof *m->processes);
            memset(&m->processes[m->nprocesses], 0, sizeof *m->processes);
            m->processes[m->nprocesses++].line = line;
            return;
        }
        struct process *pr = &m->processes[m->nprocesses - 1];
        if (!strcmp(key, "type")) {
            v->kind == V_STRING ? (void)(pr->type = v->str) : bad_value(m, line, table, key, "a string");
        } else if (!strcmp(key, "command")) {
            if (v->kind == V_STRING) { /* written below Platform API 0.10: one string */
                strs_add(&pr->command, v->str);
            } else if (v->kind == V_ARRAY && v->only_strings) {
                pr->command = v->items;
            } else {
                bad_value(m, line, table, key, "an array of strings");
            }
        } else if (!strcmp(key, "args")) {
            v->kind == V_ARRAY && v->only_strings ? (void)(pr->args = v->items)
                    : bad_value(m, line, table, key, "an array of strings");
        } else if (!strcmp(key, "direct")) {
            v->kind == V_BOOL ? (void)(pr->direct = v->boolean) : bad_value(m, line, table, key, "true or false");
        } else if (!strcmp(key, "default")) {
            v->kind == V_BOOL ? (void)(pr->is_default = v->boolean) : bad_value(m, line, table, key, "true or false");
        } else if (!strcmp(key, "working-dir")) {
            v->kind == V_STRING ? (void)(pr->working_dir = v->str) : bad_value(m, line, table, key, "a string");
        } else if (!strcmp(key, "buildpack-id")) {
            v->kind == V_STRING ? (void)(pr->buildpack_id = v->str) : bad_value(m, line, table, key, "a string");
        }
    } else if (!strcmp(table, "buildpacks")) {
        if (!key) {
            m->buildpacks = xrealloc(m->buildpacks, (m->nbuildpacks + 1) * sizeof *m->buildpacks);
            memset(&m->buildpacks[m->nbuildpacks++], 0, sizeof *m->buildpacks);
            return;
        }
        struct buildpack *bp = &m->buildpacks[m->nbuildpacks - 1];
        if (!strcmp(key, "id")) {
            v->kind == V_STRING ? (void)(bp->id = v->str) : bad_value(m, line, table, key, "a string");
        } else if (!strcmp(key, "api")) {
            v->kind == V_STRING ? (void)(bp->api = v->str) : bad_value(m, line, table, key, "a string");
        }
    } else if (!table[0] && key && !strcmp(key, "buildpack-default-process-type") && v->kind == V_STRING) {
        m->default_type = v->str;
    }
}

static struct metadata read_metadata(const char *layers)
{
    struct metadata m = {0};
    m.file = path_join(layers, "config/metadata.toml");
    size_t len;
    char *text = read_file(m.file, &len);
    if (!text) {
        die(EXIT_LAUNCH, "cannot read %s (%s): this image was not exported by a buildpacks platform, or "
                "CNB_LAYERS_DIR names the wrong folder", m.file, strerror(errno));
    }
    char err[256];
    if (toml_parse(text, len, on_metadata, &m, err, sizeof err) < 0) {
        die(EXIT_LAUNCH, "%s is not valid TOML: %s", m.file, err);
    }
    if (m.problem[0]) {
        die(EXIT_LAUNCH, "%s", m.problem);
    }
    for (size_t i = 0; i < m.nprocesses; i++) {
        struct process *pr = &m.processes[i];
        if (!pr->type || !pr->type[0]) {
            die(EXIT_LAUNCH, "%s:%d: a [[processes]] entry has no type", m.file, pr->line);
        }
        if (!pr->command.n || !pr->command.v[0][0]) {
            die(EXIT_LAUNCH, "%s:%d: process `%s` has no command", m.file, pr->line, pr->type);
        }
    }
    for (size_t i = 0; i < m.nbuildpacks; i++) {
        struct buildpack *bp = &m.buildpacks[i];
        if (!bp->id || !bp->api) {
            die(EXIT_LAUNCH, "%s: a [[buildpacks]] entry lacks its id or api", m.file);
        }
        bp->api_version = api_version(bp->api);
        if (bp->api_version < 2 || bp->api_version > 12) {
            die(EXIT_BUILDPACK_API, "buildpack %s declares Buildpack API %s, which this launcher does not "
                    "support (0.2 to 0.12)", bp->id, bp->api);
        }
    }
    return m;
}

static struct process *find_process(struct metadata *m, const char *type)
{
    for (size_t i = 0; i < m->nprocesses; i++) {
        if (!strcmp(m->processes[i].type, type)) {
            return &m->processes[i];
        }
    }
    return NULL;
}

static struct buildpack *find_buildpack(struct metadata *m, const char *id)
{
    for (size_t i = 0; id && i < m->nbuildpacks; i++) {
        if (!strcmp(m->buildpacks[i].id, id)) {
            return &m->buildpacks[i];
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * The environment of the process
 * ------------------------------------------------------------------------------------------- */

struct env {
    struct strs names;
    struct strs values;
};

static long env_find(struct env *e, const char *name)
{
    for (size_t i = 0; i < e->names.n; i++) {
        if (!strcmp(e->names.v[i], name)) {
            return (long)i;
        }
    }
    return -1;
}

static const char *env_get(struct env *e, const char *name)
{
    long i = env_find(e, name);
    return i < 0 ? NULL : e->values.v[i];
}

static void env_set(struct env *e, const char *name, const char *value)
{
    long i = env_find(e, name);
    if (i < 0) {
        strs_add(&e->names, xstrdup(name));
        strs_add(&e->values, xstrdup(value));
    } else {
        e->values.v[i] = xstrdup(value);
    }
}

static char **env_list(struct env *e)
{
    struct strs out = {0};
    for (size_t i = 0; i < e->names.n; i++) {
        strs_add(&out, concat(e->names.v[i], "=", e->values.v[i]));
    }
    if (!out.v) {
        strs_add(&out, NULL);
        out.n = 0;
    }
    return out.v;
}

/* Variables of the platform that the process does not see. */
static int excluded(const char *name, size_t len)
{
    static const char *const names[] = {"CNB_LAYERS_DIR", "CNB_APP_DIR", "CNB_PROCESS_TYPE", "CNB_PLATFORM_API",
                                        "CNB_DEPRECATION_MODE"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strlen(names[i]) == len && !strncmp(names[i], name, len)) {
            return 1;
        }
    }
    return 0;
}

/* The container's environment, less the platform's variables and /cnb/process, /cnb/lifecycle on PATH. */
static struct env runtime_env(void)
{
    struct env e = {0};
    for (char **v = environ; v && *v; v++) {
        const char *eq = strchr(*v, '=');
        if (!eq || eq == *v || excluded(*v, (size_t)(eq - *v))) {
            continue;
        }
        char *name = xstrndup(*v, (size_t)(eq - *v));
        if (!strcmp(name, "PATH")) {
            struct buf path = {0};
            char *copy = xstrdup(eq + 1);
            char *save = NULL;
            int first = 1;
            /* strtok_r would drop empty entries, which mean the current folder: split by hand */
            for (char *part = copy;; part = save + 1) {
                save = strchr(part, ':');
                if (save) {
                    *save = '\0';
                }
                if (strcmp(part, "/cnb/process") && strcmp(part, "/cnb/lifecycle")) {
                    if (!first) {
                        buf_addc(&path, ':');
                    }
                    buf_add(&path, part);
                    first = 0;
                }
                if (!save) {
                    break;
                }
            }
            env_set(&e, name, path.s ? path.s : "");
        } else {
            env_set(&e, name, eq + 1);
        }
        free(name);
    }
    return e;
}

enum action { PREPEND, APPEND, OVERRIDE, DEFAULT, PREPEND_PATH, IGNORE };

static enum action action_of(const char *suffix, enum action unsuffixed)
{
    if (!suffix) {
        return unsuffixed;
    }
    if (!strcmp(suffix, "prepend")) {
        return PREPEND;
    }
    if (!strcmp(suffix, "append")) {
        return APPEND;
    }
    if (!strcmp(suffix, "override")) {
        return OVERRIDE;
    }
    if (!strcmp(suffix, "default")) {
        return DEFAULT;
    }
    return IGNORE; /* .delim, and suffixes the spec does not define */
}

/* Applies one env folder (env/, env.launch/ or env.launch/<type>/) of a layer. */
static void apply_env_dir(struct env *e, const char *dir, enum action unsuffixed)
{
    struct strs files = list_dir(dir, 0);
    for (size_t i = 0; i < files.n; i++) {
        const char *file = files.v[i];
        const char *dot = strchr(file, '.');
        char *name = dot ? xstrndup(file, (size_t)(dot - file)) : xstrdup(file);
        enum action act = action_of(dot ? dot + 1 : NULL, unsuffixed);
        if (act == IGNORE || !name[0] || strchr(name, '=')) {
            free(name);
            continue;
        }
        char *full = path_join(dir, file);
        char *value = read_file(full, NULL);
        if (!value) {
            die(EXIT_LAUNCH, "cannot read the env file %s: %s", full, strerror(errno));
        }
        char *delim_file = concat(dir, "/", name);
        char *delim_path = concat(delim_file, ".delim", "");
        char *delim = read_file(delim_path, NULL);
        if (!delim) {
            delim = xstrdup(act == PREPEND_PATH ? ":" : "");
        }
        const char *old = env_get(e, name);
        int empty = !old || !old[0];
        switch (act) {
        case PREPEND:
        case PREPEND_PATH:
            env_set(e, name, empty ? value : concat(value, delim, old));
            break;
        case APPEND:
            env_set(e, name, empty ? value : concat(old, delim, value));
            break;
        case OVERRIDE:
            env_set(e, name, value);
            break;
        case DEFAULT:
            if (empty) {
                env_set(e, name, value);
            }
            break;
        case IGNORE:
            break;
        }
        free(name);
    }
}

/* A layer that is not for launch: its <layer>.toml exists and does not say [types] launch = true. */
struct layer_types {
    int launch;
};

static void on_layer_toml(void *ctx, const char *table, const char *key, const struct value *v, int line)
{
    (void)line;
    struct layer_types *t = ctx;
    if (key && !strcmp(table, "types") && !strcmp(key, "launch") && v->kind == V_BOOL) {
        t->launch = v->boolean;
    }
}

/* The launch layers of one buildpack, sorted by name. */
static struct strs launch_layers(const char *bp_dir)
{
    struct strs dirs = list_dir(bp_dir, 1);
    struct strs out = {0};
    for (size_t i = 0; i < dirs.n; i++) {
        char *dir = concat(bp_dir, "/", dirs.v[i]);
        char *toml_file = concat(dir, ".toml", "");
        size_t len;
        char *text = read_file(toml_file, &len);
        if (text) {
            struct layer_types types = {0};
            char err[256];
            if (toml_parse(text, len, on_layer_toml, &types, err, sizeof err) < 0) {
                die(EXIT_LAUNCH, "%s is not valid TOML: %s", toml_file, err);
            }
            if (!types.launch) {
                continue; /* a build or cache layer that happens to be in the image */
            }
        }
        strs_add(&out, dir);
    }
    return out;
}

static char *escape_id(const char *id)
{
    char *e = xstrdup(id);
    for (char *c = e; *c; c++) {
        if (*c == '/') {
            *c = '_';
        }
    }
    return e;
}

/* The launch layers of every buildpack, in build order then by name; one list per buildpack. */
static struct strs *layers_by_buildpack(struct metadata *m, const char *layers)
{
    struct strs *all = xrealloc(NULL, (m->nbuildpacks + 1) * sizeof *all);
    for (size_t b = 0; b < m->nbuildpacks; b++) {
        all[b] = launch_layers(path_join(layers, escape_id(m->buildpacks[b].id)));
    }
    return all;
}

/* Prepends the layers' <sub> folders (in the given order) to a path variable. */
static void prepend_layer_dirs(struct env *e, struct strs *layers, const char *sub, const char *var)
{
    struct buf add = {0};
    for (size_t i = 0; i < layers->n; i++) {
        char *d = path_join(layers->v[i], sub);
        if (is_dir(d)) {
            if (add.n) {
                buf_addc(&add, ':');
            }
            buf_add(&add, d);
        }
        free(d);
    }
    if (add.n) {
        const char *old = env_get(e, var);
        env_set(e, var, old && old[0] ? concat(add.s, ":", old) : add.s);
    }
}

static void apply_layers(struct env *e, struct metadata *m, struct strs *layers, const char *type)
{
    for (size_t b = 0; b < m->nbuildpacks; b++) {
        /* an unsuffixed file overrides from Buildpack API 0.5 on; before, it was prepended with `:` */
        enum action unsuffixed = m->buildpacks[b].api_version < 5 ? PREPEND_PATH : OVERRIDE;
        prepend_layer_dirs(e, &layers[b], "bin", "PATH");
        prepend_layer_dirs(e, &layers[b], "lib", "LD_LIBRARY_PATH");
        for (size_t i = 0; i < layers[b].n; i++) {
            char *env_dir = path_join(layers[b].v[i], "env");
            char *launch_dir = path_join(layers[b].v[i], "env.launch");
            apply_env_dir(e, env_dir, unsuffixed);
            apply_env_dir(e, launch_dir, unsuffixed);
            if (type) {
                apply_env_dir(e, path_join(launch_dir, type), unsuffixed);
            }
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * exec.d
 * ------------------------------------------------------------------------------------------- */

struct execd_output {
    struct env *env;
    const char *program;
    char problem[300];
};

static int valid_name(const char *name)
{
    if (!name[0]) {
        return 0;
    }
    for (const char *c = name; *c; c++) {
        if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-')) {
            return 0;
        }
    }
    return 1;
}

static void on_execd(void *ctx, const char *table, const char *key, const struct value *v, int line)
{
    struct execd_output *o = ctx;
    if (o->problem[0]) {
        return;
    }
    if (table[0] || !key) {
        snprintf(o->problem, sizeof o->problem, "line %d: a table ([%s]) where only NAME = \"value\" lines belong",
                line, table);
    } else if (v->kind != V_STRING) {
        snprintf(o->problem, sizeof o->problem, "line %d: the value of %s is not a string", line, key);
    } else if (!valid_name(key)) {
        snprintf(o->problem, sizeof o->problem, "line %d: `%s` is not an environment variable name", line, key);
    } else {
        env_set(o->env, key, v->str);
    }
}

/* Runs one exec.d program in the app folder with fd 3 open for writing, then applies what it wrote. */
static void run_execd(struct env *e, const char *program)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        die(EXIT_LAUNCH, "cannot make a pipe for %s: %s", program, strerror(errno));
    }
    char **envp = env_list(e);
    pid_t pid = fork();
    if (pid < 0) {
        die(EXIT_LAUNCH, "cannot start %s: %s", program, strerror(errno));
    }
    if (pid == 0) {
        if (fds[1] == 3) {
            fcntl(3, F_SETFD, 0);
        } else if (dup2(fds[1], 3) < 0) {
            _exit(127);
        }
        char *argv[] = {(char *)program, NULL};
        execve(program, argv, envp);
        fprintf(stderr, "launcher: cannot run the exec.d program %s: %s\n", program, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    struct buf out = {0};
    char chunk[4096];
    for (;;) {
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        buf_addn(&out, chunk, (size_t)r);
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            die(EXIT_LAUNCH, "cannot wait for %s: %s", program, strerror(errno));
        }
    }
    if (WIFSIGNALED(status)) {
        die(EXIT_LAUNCH, "the exec.d program %s was killed by signal %d", program, WTERMSIG(status));
    }
    if (WEXITSTATUS(status) != 0) {
        die(EXIT_LAUNCH, "the exec.d program %s failed (exit code %d)", program, WEXITSTATUS(status));
    }
    struct execd_output o = {e, program, ""};
    char err[256];
    if (out.n && toml_parse(out.s, out.n, on_execd, &o, err, sizeof err) < 0) {
        die(EXIT_LAUNCH, "the exec.d program %s wrote on fd 3 what is not TOML: %s", program, err);
    }
    if (o.problem[0]) {
        die(EXIT_LAUNCH, "the exec.d program %s wrote on fd 3: %s", program, o.problem);
    }
}

/* Every file of <layer>/<sub> of every launch layer, in build order, then by layer, then by name. */
static struct strs layer_files(struct metadata *m, struct strs *layers, const char *sub)
{
    struct strs out = {0};
    for (size_t b = 0; b < m->nbuildpacks; b++) {
        for (size_t i = 0; i < layers[b].n; i++) {
            char *dir = path_join(layers[b].v[i], sub);
            struct strs files = list_dir(dir, 0);
            for (size_t f = 0; f < files.n; f++) {
                strs_add(&out, path_join(dir, files.v[f]));
            }
        }
    }
    return out;
}

/* ---------------------------------------------------------------------------------------------
 * Starting the process
 * ------------------------------------------------------------------------------------------- */

static void list_types(struct metadata *m, struct buf *b)
{
    if (!m->nprocesses) {
        buf_add(b, "This image has no process types.");
        return;
    }
    buf_add(b, "This image's process types: ");
    for (size_t i = 0; i < m->nprocesses; i++) {
        if (i) {
            buf_add(b, ", ");
        }
        buf_add(b, m->processes[i].type);
    }
    buf_add(b, ".");
}

static void no_process(struct metadata *m, const char *why)
{
    struct buf b = {0};
    buf_add(&b, why);
    buf_add(&b, " ");
    list_types(m, &b);
    buf_add(&b, " Start one with `docker run --entrypoint <type> IMAGE [<arg>...]`, or give a command to run:"
                " `docker run --entrypoint launcher IMAGE <command> [<arg>...]` (`--` before the command runs it"
                " without a shell).");
    die(EXIT_LAUNCH, "%s", b.s);
}

/* The executable a direct process names, looked up on the launch PATH as execvp would. */
static char *look_path(const char *cmd, const char *path, const char *app)
{
    if (strchr(cmd, '/')) {
        return cmd[0] == '/' ? xstrdup(cmd) : path_join(app, cmd);
    }
    if (path) {
        char *copy = xstrdup(path);
        char *save = NULL;
        for (char *dir = copy;; dir = save + 1) {
            save = strchr(dir, ':');
            if (save) {
                *save = '\0';
            }
            char *full = path_join(dir[0] ? dir : app, cmd);
            if (is_regular(full) && access(full, X_OK) == 0) {
                return full;
            }
            free(full);
            if (!save) {
                break;
            }
        }
    }
    die(EXIT_LAUNCH, "cannot find `%s` on PATH (%s)", cmd, path ? path : "PATH is not set");
}

static char *shell_quote(const char *s)
{
    struct buf b = {0};
    buf_addc(&b, '\'');
    for (const char *c = s; *c; c++) {
        if (*c == '\'') {
            buf_add(&b, "'\\''");
        } else {
            buf_addc(&b, *c);
        }
    }
    buf_addc(&b, '\'');
    return buf_take(&b);
}

int main(int argc, char **argv)
{
    const char *self = argc > 0 ? argv[0] : "launcher";
    const char *app = getenv("CNB_APP_DIR");
    const char *layers = getenv("CNB_LAYERS_DIR");
    const char *platform = getenv("CNB_PLATFORM_API");
    const char *wanted = getenv("CNB_PROCESS_TYPE");
    app = app && app[0] ? xstrdup(app) : "/workspace";
    layers = layers && layers[0] ? xstrdup(layers) : "/layers";
    wanted = wanted && wanted[0] ? xstrdup(wanted) : NULL;
    int platform_api = platform && platform[0] ? api_version(platform) : 12;
    if (platform_api < 0) {
        die(EXIT_PLATFORM_API, "CNB_PLATFORM_API=%s is not a Platform API version (like 0.12)", platform);
    }

    struct metadata m = read_metadata(layers);

    /* which process: by the name this program was started as, else CNB_PROCESS_TYPE, else a command */
    const char *base = strrchr(self, '/') ? strrchr(self, '/') + 1 : self;
    struct process *chosen = find_process(&m, base);
    if (!chosen && wanted) {
        chosen = find_process(&m, wanted);
        if (!chosen) {
            struct buf why = {0};
            buf_add(&why, "CNB_PROCESS_TYPE names the process type `");
            buf_add(&why, wanted);
            buf_add(&why, "`, which this image does not have.");
            no_process(&m, why.s);
        }
    }
    struct strs user = {0};
    for (int i = 1; i < argc; i++) {
        strs_add(&user, argv[i]);
    }

    struct process proc = {0};
    const char *type = NULL;
    if (chosen) {
        proc = *chosen;
        type = chosen->type;
        struct buildpack *bp = find_buildpack(&m, proc.buildpack_id);
        if (proc.buildpack_id && !bp) {
            die(EXIT_LAUNCH, "%s: process `%s` comes from buildpack %s, which is not among its [[buildpacks]]",
                    m.file, proc.type, proc.buildpack_id);
        }
        int overridable = bp && bp->api_version >= 9; /* args are default arguments from Buildpack API 0.9 */
        if (overridable) {
            proc.direct = 1;
        }
        struct strs args = {0};
        if (platform_api < 10) {
            strs_add_all(&args, &proc.args, 0);
            strs_add_all(&args, &user, 0);
        } else if (proc.command.n > 1) {
            /* the rest of command is always given; then the user's arguments, else the defaults */
            strs_add_all(&args, &proc.command, 1);
            strs_add_all(&args, user.n ? &user : &proc.args, 0);
            struct strs first = {0};
            strs_add(&first, proc.command.v[0]);
            proc.command = first;
        } else if (!user.n) {
            strs_add_all(&args, &proc.args, 0);
        } else if (overridable) {
            strs_add_all(&args, &user, 0);
        } else {
            strs_add_all(&args, &proc.args, 0);
            strs_add_all(&args, &user, 0);
        }
        proc.args = args;
    } else {
        if (!user.n) {
            struct buf why = {0};
            if (strcmp(base, "launcher")) {
                buf_add(&why, "`");
                buf_add(&why, base);
                buf_add(&why, "` is not a process type of this image, and no command was given.");
            } else {
                buf_add(&why, "no process type was chosen and no command was given.");
            }
            no_process(&m, why.s);
        }
        size_t start = 0;
        if (!strcmp(user.v[0], "--")) {
            if (user.n < 2) {
                die(EXIT_LAUNCH, "`--` must be followed by the command to run");
            }
            proc.direct = 1;
            start = 1;
        }
        strs_add(&proc.command, user.v[start]);
        strs_add_all(&proc.args, &user, start + 1);
    }

    if (chdir(app) < 0) {
        die(EXIT_LAUNCH, "cannot change to the app folder %s: %s", app, strerror(errno));
    }
    struct env env = runtime_env();
    struct strs *layer_dirs = layers_by_buildpack(&m, layers);
    apply_layers(&env, &m, layer_dirs, type);

    struct strs execd = layer_files(&m, layer_dirs, "exec.d");
    if (type) {
        struct strs typed = layer_files(&m, layer_dirs, path_join("exec.d", type));
        strs_add_all(&execd, &typed, 0);
    }
    for (size_t i = 0; i < execd.n; i++) {
        run_execd(&env, execd.v[i]);
    }

    const char *wd = proc.working_dir && proc.working_dir[0] ? proc.working_dir : app;
    char **envp = env_list(&env);
    fflush(NULL);

    if (proc.direct) {
        char *exe = look_path(proc.command.v[0], env_get(&env, "PATH"), app);
        if (chdir(wd) < 0) {
            die(EXIT_LAUNCH, "cannot change to the working folder %s of process `%s`: %s", wd,
                    type ? type : proc.command.v[0], strerror(errno));
        }
        struct strs full = {0};
        strs_add(&full, proc.command.v[0]);
        strs_add_all(&full, &proc.args, 0);
        execve(exe, full.v, envp);
        die(EXIT_LAUNCH, "cannot run %s: %s", exe, strerror(errno));
    }

    const char *shell = access("/bin/bash", X_OK) == 0 ? "/bin/bash" : access("/bin/sh", X_OK) == 0 ? "/bin/sh" : NULL;
    if (!shell) {
        die(EXIT_LAUNCH, "%s%s%s runs through a shell (it is not direct), and this image has neither /bin/bash nor "
                "/bin/sh. Give the process as an array command (Buildpack API 0.9 or newer), or run the command "
                "with `--` before it", type ? "process `" : "the command `", type ? type : proc.command.v[0], "`");
    }
    /* one shell: source the profiles, go to the working folder, then run the command */
    struct buf script = {0};
    struct strs profiles = layer_files(&m, layer_dirs, "profile.d");
    if (type) {
        struct strs typed = layer_files(&m, layer_dirs, path_join("profile.d", type));
        strs_add_all(&profiles, &typed, 0);
    }
    char *app_profile = path_join(app, ".profile");
    if (is_regular(app_profile)) {
        strs_add(&profiles, app_profile);
    }
    for (size_t i = 0; i < profiles.n; i++) {
        buf_add(&script, ". ");
        buf_add(&script, shell_quote(profiles.v[i]));
        buf_addc(&script, '\n');
    }
    buf_add(&script, "cd ");
    buf_add(&script, shell_quote(wd));
    buf_add(&script, " || exit 1\n");
    struct buf command = {0};
    for (size_t i = 0; i < proc.command.n; i++) {
        if (i) {
            buf_addc(&command, ' ');
        }
        buf_add(&command, proc.command.v[i]);
    }
    if (!proc.args.n) {
        /* the command is a script of its own */
        buf_add(&script, "exec ");
        buf_add(&script, shell_quote(shell));
        buf_add(&script, " -c \"$1\"\n");
    } else {
        /* the command and each argument are one word each, with their $VARIABLES expanded */
        buf_add(&script, "exec");
        for (size_t i = 0; i <= proc.args.n; i++) {
            char token[64];
            snprintf(token, sizeof token, " \"$(eval \"printf '%%s' \\\"${%zu}\\\"\")\"", i + 1);
            buf_add(&script, token);
        }
        buf_addc(&script, '\n');
    }
    struct strs sh = {0};
    strs_add(&sh, (char *)(strrchr(shell, '/') + 1));
    strs_add(&sh, "-c");
    strs_add(&sh, script.s);
    strs_add(&sh, (char *)self);
    strs_add(&sh, command.s ? command.s : "");
    strs_add_all(&sh, &proc.args, 0);
    execve(shell, sh.v, envp);
    die(EXIT_LAUNCH, "cannot run %s: %s", shell, strerror(errno));
}
