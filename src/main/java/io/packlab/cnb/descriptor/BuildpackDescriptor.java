package io.packlab.cnb.descriptor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A buildpack's {@code buildpack.toml}, validated right after parsing (API, id, version, stacks, targets, order and,
 * when read from disk, its {@code bin/} executables).
 *
 * @param file        where it was read from (messages name it)
 * @param hasBinBuild whether {@code bin/build} exists (taken as true for a non-composite buildpack read by {@link #parse})
 */
public record BuildpackDescriptor(
        Path file,
        BuildpackApi api,
        String id,
        String version,
        Optional<String> name,
        Optional<String> homepage,
        Optional<String> description,
        List<String> keywords,
        List<License> licenses,
        boolean clearEnv,
        List<Stack> stacks,
        List<Target> targets,
        List<OrderGroup> order,
        Map<String, Object> metadata,
        boolean hasBinBuild) {

    /** The stack id the spec translates to a target (linux/amd64, ubuntu 18.04). */
    public static final String BIONIC = "io.buildpacks.stacks.bionic";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9./-]+");
    private static final Pattern NOT_ID = Pattern.compile("[^A-Za-z0-9./-]");
    private static final Set<String> RESERVED_IDS = Set.of("app", "config", "generated", "sbom");

    public BuildpackDescriptor {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        keywords = List.copyOf(keywords);
        licenses = List.copyOf(licenses);
        stacks = List.copyOf(stacks);
        targets = List.copyOf(targets);
        order = List.copyOf(order);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Reads and validates {@code buildpack.toml}, including the executables next to it ({@code bin/detect}, {@code bin/build}). */
    public static BuildpackDescriptor read(Path buildpackToml) {
        return from(TomlDocument.read(buildpackToml, false), true);
    }

    /** Parses and validates the text of a buildpack.toml without looking at the file system ({@code file} names it in messages). */
    public static BuildpackDescriptor parse(Path file, String text) {
        return from(TomlDocument.parse(file, text, false), false);
    }

    /** The folder the buildpack lives in (the folder of buildpack.toml). */
    public Path dir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath() : parent;
    }

    /** {@code id@version}. */
    public String fullName() {
        return id + "@" + version;
    }

    /** A composite buildpack has an order of other buildpacks and no executables. */
    public boolean isComposite() {
        return !order.isEmpty();
    }

    /** The id as pack names its folder under {@code /cnb/buildpacks}: {@code /} becomes {@code _}. */
    public String escapedId() {
        return id.replace('/', '_');
    }

    /** True when it declares {@code [[stacks]]} at Buildpack API 0.10 or later, where {@code [[targets]]} replace them. */
    public boolean isStackDeprecated() {
        return !stacks.isEmpty() && api.hasTargets();
    }

    /**
     * The targets it runs on: the declared ones; else the spec's translation of the bionic stack; else {@code os=linux}
     * when it has {@code bin/build}; else none (no constraint, as for a composite).
     */
    public List<Target> effectiveTargets() {
        if (!targets.isEmpty()) {
            return targets;
        }
        if (stacks.stream().anyMatch(s -> BIONIC.equals(s.id()))) {
            return List.of(new Target("linux", "amd64", "", List.of(new Distro("ubuntu", "18.04"))));
        }
        return hasBinBuild ? List.of(Target.linux()) : List.of();
    }

    /**
     * Whether it runs on a base image of {@code base} (os, arch, variant, distro), as the spec matches targets: a composite
     * has no targets of its own (the buildpacks of its order are matched), {@code [[stacks]]} with {@code *} matches any
     * target, a buildpack with only {@code [[stacks]]} is matched by its stacks, and no targets at all means any target of
     * the OS its {@code bin/build} is for.
     */
    public boolean runsOn(Target base) {
        if (isComposite() || stacks.stream().anyMatch(Stack::isAny) || targets.isEmpty() && !stacks.isEmpty()) {
            return true;
        }
        List<Target> effective = effectiveTargets();
        return effective.isEmpty() || effective.stream().anyMatch(t -> t.accepts(base));
    }

    /**
     * Whether it runs on the stack {@code stackId}: a {@code [[stacks]]} entry is {@code *} or that id; a buildpack that
     * declares no stacks (targets only, or a composite) is not bound to stacks, and its targets decide.
     */
    public boolean supportsStack(String stackId) {
        if (stacks.isEmpty()) {
            return true;
        }
        return stacks.stream().anyMatch(s -> s.isAny() || s.id().equals(stackId));
    }

    private static BuildpackDescriptor from(TomlDocument doc, boolean checkFiles) {
        TomlTable root = doc.root();
        BuildpackApi api = api(doc);

        Optional<TomlTable> maybeInfo = doc.table(root, "", "buildpack");
        if (maybeInfo.isEmpty()) {
            throw doc.error(TomlDocument.START, "there is no [buildpack] table. Add one with the buildpack's id and version:"
                    + " [buildpack] id = \"example/python\" version = \"0.0.1\" (each on its own line).");
        }
        TomlTable info = maybeInfo.get();
        TomlPosition infoAt = TomlDocument.at(root, "buildpack", TomlDocument.START);
        String id = doc.required(info, "buildpack", "id", infoAt, "id = \"example/python\"",
                "Add id = \"<your/buildpack>\" under [buildpack], for example id = \"example/python\" (letters, digits,"
                        + " '.', '/' and '-').");
        checkId(doc, info, id);
        String version = doc.required(info, "buildpack", "version", infoAt, "version = \"0.0.1\"",
                "Add version = \"0.0.1\" under [buildpack] (the spec wants X.Y.Z).");
        Optional<String> name = doc.optString(info, "buildpack", "name", "name = \"Python Buildpack\"");
        Optional<String> homepage = doc.optString(info, "buildpack", "homepage", "homepage = \"https://example.com\"");
        Optional<String> description = doc.optString(info, "buildpack", "description", "description = \"...\"");
        List<String> keywords = doc.strings(info, "buildpack", "keywords", "keywords = [\"python\"]");
        List<License> licenses = new ArrayList<>();
        for (TomlDocument.Element l : doc.tables(info, "buildpack", "licenses")) {
            licenses.add(new License(doc.string(l.table(), "buildpack.licenses", "type", "type = \"Apache-2.0\""),
                    doc.string(l.table(), "buildpack.licenses", "uri", "uri = \"https://...\"")));
        }
        boolean clearEnv = doc.bool(info, "buildpack", "clear-env");

        List<Stack> stacks = stacks(doc, root);
        List<Target> targets = CommonTables.targets(doc, root);
        List<OrderGroup> order = CommonTables.order(doc, root, true, List.of("id", "version", "optional", "exec-env"));
        if (!order.isEmpty() && !stacks.isEmpty()) {
            throw doc.error(doc.tables(root, "", "stacks").get(0).position(), "a composite buildpack (one with [[order]])"
                    + " must not declare [[stacks]]: the buildpacks of its order declare their own. Remove the [[stacks]]"
                    + " entries" + (api.hasTargets() ? "" : " (or, from api = \"0.10\", declare [[targets]] instead)") + ".");
        }
        Map<String, Object> metadata = doc.table(root, "", "metadata").map(TomlDocument::plain).orElse(Map.of());

        boolean hasBinBuild;
        if (checkFiles) {
            Path dir = doc.folder();
            if (order.isEmpty()) {
                checkExecutables(doc, infoAt, dir);
            } else if (Files.exists(dir.resolve("bin"))) {
                throw doc.error(doc.tables(root, "", "order").get(0).position(), "this buildpack has [[order]], so it is a"
                        + " composite buildpack and must not have a bin/ folder, but " + dir.resolve("bin") + " exists. Remove"
                        + " bin/ (its order's buildpacks do the work) or remove [[order]] to make it a normal buildpack.");
            }
            hasBinBuild = Files.isRegularFile(dir.resolve("bin").resolve("build"));
        } else {
            hasBinBuild = order.isEmpty();
        }
        return new BuildpackDescriptor(doc.file(), api, id, version, name, homepage, description, keywords, licenses,
                clearEnv, stacks, targets, order, metadata, hasBinBuild);
    }

    private static BuildpackApi api(TomlDocument doc) {
        TomlTable root = doc.root();
        Optional<String> text = doc.optString(root, "", "api", "api = \"" + BuildpackApi.RECOMMENDED + "\" (in quotes)");
        if (text.isEmpty()) {
            throw doc.error(TomlDocument.START, "`api` is missing: buildpack.toml must say which Buildpack API it is written"
                    + " for. Add api = \"" + BuildpackApi.RECOMMENDED + "\" (the lifecycle supports "
                    + BuildpackApi.OLDEST_SUPPORTED + " to " + BuildpackApi.NEWEST_SUPPORTED + ") as the first line.");
        }
        TomlPosition at = TomlDocument.at(root, "api", TomlDocument.START);
        BuildpackApi api;
        try {
            api = BuildpackApi.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw doc.error(at, "`api` is \"" + text.get() + "\", which is not a Buildpack API version. Write it as"
                    + " major.minor, like api = \"" + BuildpackApi.RECOMMENDED + "\".");
        }
        Optional<String> problem = api.incompatibility();
        if (problem.isPresent()) {
            throw doc.error(at, problem.get());
        }
        return api;
    }

    private static void checkId(TomlDocument doc, TomlTable info, String id) {
        TomlPosition at = TomlDocument.at(info, "id", TomlDocument.START);
        if (!ID.matcher(id).matches()) {
            Matcher bad = NOT_ID.matcher(id);
            String found = bad.find() ? bad.group() : "?";
            throw doc.error(at, "`buildpack.id` \"" + id + "\" may only contain letters, digits, '.', '/' and '-', but it"
                    + " contains '" + found + "'. Choose an id like \"example/python\".");
        }
        if (RESERVED_IDS.contains(id.toLowerCase(Locale.ROOT))) {
            throw doc.error(at, "`buildpack.id` \"" + id + "\" is reserved: app, config, generated and sbom are names the"
                    + " lifecycle uses for its own folders. Choose another id, like \"example/" + id + "\".");
        }
    }

    private static List<Stack> stacks(TomlDocument doc, TomlTable root) {
        List<Stack> stacks = new ArrayList<>();
        for (TomlDocument.Element e : doc.tables(root, "", "stacks")) {
            String stackId = doc.required(e.table(), "stacks", "id", e.position(), "id = \"io.buildpacks.stacks.jammy\"",
                    "Every [[stacks]] names a stack: add id = \"<stack id>\", or id = \"*\" for any stack.");
            List<String> mixins = doc.strings(e.table(), "stacks", "mixins", "mixins = [\"build:git\"]");
            if (Stack.ANY.equals(stackId) && !mixins.isEmpty()) {
                throw doc.error(TomlDocument.at(e.table(), "mixins", e.position()), "a [[stacks]] entry with id = \"*\" (any"
                        + " stack) must not list mixins: no stack could promise them. Remove mixins, or name the stack"
                        + " that provides them.");
            }
            stacks.add(new Stack(stackId, mixins));
        }
        return stacks;
    }

    private static void checkExecutables(TomlDocument doc, TomlPosition at, Path dir) {
        List<String> problems = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        boolean missing = false;
        for (String name : List.of("detect", "build")) {
            Path exe = dir.resolve("bin").resolve(name);
            if (!Files.exists(exe)) {
                problems.add("bin/" + name + " is missing");
                fix.add("bin/" + name);
                missing = true;
            } else if (!Files.isRegularFile(exe)) {
                problems.add("bin/" + name + " is not a file");
                fix.add("bin/" + name);
                missing = true;
            } else if (!Files.isExecutable(exe)) {
                problems.add("bin/" + name + " is not executable");
                fix.add("bin/" + name);
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        String create = missing ? "write the missing " + (fix.size() > 1 ? "scripts" : "script")
                + " (pack buildpack new scaffolds both) and then " : "";
        throw doc.error(at, String.join(" and ", problems) + " (in " + dir.resolve("bin") + "). A buildpack without [[order]]"
                + " needs both bin/detect and bin/build as executable files, which the lifecycle runs; " + create + "run `chmod +x "
                + String.join(" ", fix) + "` in " + dir + ".");
    }
}
