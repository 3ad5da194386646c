package io.packlab.cnb.platform;

import io.packlab.cnb.platform.DetectionOrder.Member;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The build plan as the buildpack spec and the lifecycle resolve it. {@link #resolve} judges a group from its buildpacks'
 * detect runs: every non-optional buildpack must pass, then the plans they wrote (a {@code [[provides]]}/{@code
 * [[requires]]} pairing and its {@code [[or]]} alternatives) are tried, one alternative per buildpack, depth-first: a
 * require must be provided by the same or an earlier buildpack, a provide required by the same or a later one; an
 * optional buildpack that breaks this is dropped, a required one fails the trial. The plan of the first trial that holds
 * gives each provider the merged entries ({@link #entriesFor}): every require of the names it provides, with the
 * requirers' metadata, in group order; after a build, {@link #afterBuild} passes the entries it declared
 * {@code [[unmet]]} on to the next provider of the name.
 */
final class BuildPlan {

    /** A {@code [[requires]]} entry: the name and its metadata, as plain Java values (maps, lists, strings, numbers). */
    record Require(String name, Map<String, Object> metadata) {
        Require {
            Objects.requireNonNull(name, "name");
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** One potential build plan of a buildpack: what it provides and what it requires. */
    record Sections(List<String> provides, List<Require> requires) {
        Sections {
            provides = List.copyOf(provides);
            requires = List.copyOf(requires);
        }
    }

    /** What a buildpack's {@code bin/detect} wrote to its plan: the top-level sections, then each {@code [[or]]}. */
    record DetectPlan(List<Sections> alternatives) {
        DetectPlan {
            alternatives = List.copyOf(alternatives);
        }
    }

    /** One buildpack's detect: its exit code, what it printed, and the plan file's text (empty when it wrote none). */
    record Run(Member member, int exitCode, List<String> output, String planText) {
        Run {
            output = List.copyOf(output);
            planText = Objects.requireNonNullElse(planText, "");
        }
    }

    /** A dependency of the plan: the buildpacks that provide it and every require of it, in group order. */
    record Entry(String name, List<Member> providers, List<Require> requires) {
        Entry {
            providers = List.copyOf(providers);
            requires = List.copyOf(requires);
        }
    }

    /**
     * The verdict on one group: the lines to show (the lifecycle's {@code pass:}/{@code skip:}/{@code fail:}/{@code err:}
     * results, the plan trials, and for a group that passed the buildpacks that take part), the plan when it passed, else
     * why not, and whether a buildpack's detect errored (an exit code other than 0 and 100, or a plan it could not read).
     */
    record Verdict(List<String> lines, Optional<BuildPlan> plan, String reason, boolean errored) {
        Verdict {
            lines = List.copyOf(lines);
        }

        boolean passed() {
            return plan.isPresent();
        }
    }

    private static final int SAID_LINES = 5;
    private static final int SAID_CHARS = 400;

    private final List<Member> group;
    private final List<Entry> entries;

    BuildPlan(List<Member> group, List<Entry> entries) {
        this.group = List.copyOf(group);
        this.entries = List.copyOf(entries);
    }

    /** The buildpacks that take part in the build, in order. */
    List<Member> group() {
        return group;
    }

    List<Entry> entries() {
        return entries;
    }

    /** The buildpack plan of {@code id}: the requires of every entry it is a provider of (the lifecycle's {@code Find}). */
    List<Require> entriesFor(String id) {
        List<Require> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.providers().stream().anyMatch(p -> p.id().equals(id))) {
                out.addAll(e.requires());
            }
        }
        return out;
    }

    /**
     * The plan for the buildpacks after {@code id}, once it has built: the entries of the names it met (those of its plan
     * it did not declare {@code [[unmet]]} in build.toml) are gone; unmet ones stay for the next provider of the name.
     *
     * @throws PlatformException when an unmet name is empty or not among the buildpack's entries (as the lifecycle refuses)
     */
    BuildPlan afterBuild(String id, String key, List<String> unmet) {
        List<Require> own = entriesFor(id);
        for (String name : unmet) {
            if (name.isEmpty()) {
                throw new PlatformException("buildpack " + key + " wrote an [[unmet]] entry without a name in build.toml:"
                        + " unmet.name is required. Give the name of the plan entry it did not satisfy.");
            }
            if (own.stream().noneMatch(r -> r.name().equals(name))) {
                throw new PlatformException("buildpack " + key + " wrote unmet.name '" + name + "' in build.toml, but it"
                        + " must match a requested dependency: its plan has " + (own.isEmpty() ? "no entries" : "only "
                        + String.join(", ", own.stream().map(Require::name).distinct().toList())) + ". Fix the name, or"
                        + " remove the [[unmet]] entry.");
            }
        }
        Set<String> met = new LinkedHashSet<>();
        own.stream().map(Require::name).filter(n -> !unmet.contains(n)).forEach(met::add);
        List<Entry> left = entries.stream().filter(e -> e.requires().stream().noneMatch(r -> met.contains(r.name())))
                .toList();
        return new BuildPlan(group, left);
    }

    /** The buildpack plan file ({@code $3}, {@code CNB_BP_PLAN_PATH}): one {@code [[entries]]} per require. */
    static String toml(List<Require> requires) {
        StringBuilder toml = new StringBuilder();
        for (Require r : requires) {
            toml.append("[[entries]]\nname = ").append(TomlWriter.string(r.name())).append('\n');
            if (!r.metadata().isEmpty()) {
                toml.append("[entries.metadata]\n");
                r.metadata().forEach((k, v) -> toml.append(TomlWriter.key(k)).append(" = ").append(TomlWriter.value(v))
                        .append('\n'));
            }
            toml.append('\n');
        }
        return toml.toString();
    }

    /**
     * Reads a plan file as the lifecycle does: {@code [[provides]]} and {@code [[requires]]} at the top, then the pairings
     * of {@code [[or]]}.
     *
     * @throws IllegalArgumentException with the reason when it is not TOML or not a plan (the lifecycle counts the detect
     *                                  as errored)
     */
    static DetectPlan parse(String text, String buildpack) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var e = toml.errors().get(0);
            throw new IllegalArgumentException("buildpack " + buildpack + " wrote a build plan that is not TOML (line "
                    + e.position().line() + ", column " + e.position().column() + ": " + e.getMessage() + ")");
        }
        List<Sections> alternatives = new ArrayList<>();
        alternatives.add(sections(toml, "", buildpack));
        TomlArray or = arrayOfTables(toml, "or", buildpack);
        for (int i = 0; or != null && i < or.size(); i++) {
            alternatives.add(sections(or.getTable(i), "or.", buildpack));
        }
        return new DetectPlan(alternatives);
    }

    private static Sections sections(TomlTable table, String prefix, String buildpack) {
        List<String> provides = new ArrayList<>();
        TomlArray p = arrayOfTables(table, "provides", buildpack);
        for (int i = 0; p != null && i < p.size(); i++) {
            provides.add(name(p.getTable(i), prefix + "provides", buildpack));
        }
        List<Require> requires = new ArrayList<>();
        TomlArray r = arrayOfTables(table, "requires", buildpack);
        for (int i = 0; r != null && i < r.size(); i++) {
            TomlTable t = r.getTable(i);
            if (t.contains("version")) {
                throw new IllegalArgumentException("buildpack " + buildpack + " has a \"version\" key which is not"
                        + " supported. \"metadata.version\" should be used instead (in [[" + prefix + "requires]] "
                        + TomlWriter.string(name(t, prefix + "requires", buildpack)) + ")");
            }
            Object metadata = t.get("metadata");
            if (metadata != null && !(metadata instanceof TomlTable)) {
                throw new IllegalArgumentException("buildpack " + buildpack + " wrote a build plan whose [[" + prefix
                        + "requires]] metadata is not a table: write [" + prefix + "requires.metadata] with its keys");
            }
            requires.add(new Require(name(t, prefix + "requires", buildpack),
                    metadata == null ? Map.of() : plain((TomlTable) metadata)));
        }
        return new Sections(provides, requires);
    }

    private static TomlArray arrayOfTables(TomlTable table, String key, String buildpack) {
        Object value = table.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof TomlArray a && a.toList().stream().allMatch(TomlTable.class::isInstance)) {
            return a;
        }
        throw new IllegalArgumentException("buildpack " + buildpack + " wrote a build plan whose `" + key + "` is not an"
                + " array of tables: write [[" + key + "]] entries");
    }

    private static String name(TomlTable t, String what, String buildpack) {
        Object name = t.get("name");
        if (!(name instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("buildpack " + buildpack + " wrote a build plan with a [[" + what + "]]"
                    + " entry without a name: every entry needs name = \"<dependency>\"");
        }
        return s;
    }

    /** Judges a group from the detect runs of its buildpacks, in group order, as the lifecycle's resolver does. */
    static Verdict resolve(List<Run> runs) {
        List<String> lines = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<Member> passed = new ArrayList<>();
        List<DetectPlan> plans = new ArrayList<>();
        boolean detected = true;
        boolean errored = false;
        for (Run run : runs) {
            Member m = run.member();
            int code = run.exitCode();
            String problem = null;
            if (code == 0) {
                try {
                    plans.add(parse(run.planText(), m.key()));
                    passed.add(m);
                    lines.add("pass: " + m.key());
                    continue;
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
            if (code == 100) {
                lines.add((m.optional() ? "skip: " : "fail: ") + m.key());
                if (!m.optional()) {
                    reasons.add(m.key() + " failed detection (exit code 100" + said(run) + ")");
                }
            } else {
                lines.add("err:  " + m.key() + (problem == null ? " (" + code + ")" : ": " + problem));
                errored = true;
                if (!m.optional()) {
                    reasons.add(m.key() + (problem == null ? " errored in detect (exit code " + code + said(run) + ")"
                            : ": " + problem));
                }
            }
            detected &= m.optional();
        }
        if (!detected) {
            return new Verdict(lines, Optional.empty(), String.join(", ", reasons), errored);
        }
        if (passed.isEmpty()) {
            lines.add("fail: no viable buildpacks in group");
            return new Verdict(lines, Optional.empty(), "no buildpack of the group passed detection", errored);
        }
        List<String> trialLines = new ArrayList<>();
        Trials trials = new Trials(passed, plans, trialLines);
        Optional<BuildPlan> plan = trials.run(0, new ArrayList<>());
        if (plan.isEmpty() || trialLines.size() > 1) { // a first try that holds is no news (the lifecycle's debug level)
            lines.addAll(trialLines);
        }
        if (plan.isEmpty()) {
            return new Verdict(lines, Optional.empty(), trials.lastFailure, errored);
        }
        List<Member> group = plan.get().group();
        if (group.size() != runs.size()) {
            lines.add(group.size() + " of " + runs.size() + " buildpacks participating");
        }
        int width = group.stream().mapToInt(m -> m.id().length()).max().orElse(0);
        group.forEach(m -> lines.add(String.format("%-" + width + "s %s", m.id(), m.version())));
        return new Verdict(lines, plan, "", errored);
    }

    /** What a detect printed, for the reason of a failed group: its last lines, shortened. */
    private static String said(Run run) {
        List<String> out = run.output().stream().filter(l -> !l.isBlank()).toList();
        if (out.isEmpty()) {
            return "";
        }
        List<String> last = out.subList(Math.max(0, out.size() - SAID_LINES), out.size());
        String text = String.join(" / ", last);
        return ": " + (out.size() > SAID_LINES ? "... / " : "") + (text.length() > SAID_CHARS
                ? text.substring(0, SAID_CHARS) + "..." : text);
    }

    /** The alternative a buildpack takes in a trial; only its last alternative may drop an optional buildpack. */
    private record Option(Member member, boolean optional, Sections sections) {
    }

    /** The depth-first walk over one alternative per buildpack, and the check of each combination. */
    private static final class Trials {
        private final List<Member> passed;
        private final List<DetectPlan> plans;
        private final List<String> lines;
        private int tries;
        private String lastFailure = "";

        Trials(List<Member> passed, List<DetectPlan> plans, List<String> lines) {
            this.passed = passed;
            this.plans = plans;
            this.lines = lines;
        }

        Optional<BuildPlan> run(int at, List<Option> prefix) {
            if (at == passed.size()) {
                return trial(new ArrayList<>(prefix));
            }
            List<Sections> alternatives = plans.get(at).alternatives();
            for (int i = 0; i < alternatives.size(); i++) {
                Member m = passed.get(at);
                prefix.add(new Option(m, m.optional() && i == alternatives.size() - 1, alternatives.get(i)));
                Optional<BuildPlan> found = run(at + 1, prefix);
                prefix.remove(prefix.size() - 1);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }

        private Optional<BuildPlan> trial(List<Option> trial) {
            lines.add("Resolving plan... (try #" + (++tries) + ")");
            Map<String, Dependency> deps;
            boolean retry = true;
            do {
                retry = false;
                deps = dependencies(trial);
                Set<String> drop = new LinkedHashSet<>();
                for (boolean requires : new boolean[] {true, false}) {
                    for (var e : deps.entrySet()) {
                        for (Option o : requires ? e.getValue().earlyRequires : e.getValue().extraProvides) {
                            String what = o.member().key() + (requires ? " requires " : " provides unused ") + e.getKey();
                            if (!o.optional()) {
                                lines.add("fail: " + what);
                                lastFailure = o.member().key() + (requires ? " requires " + e.getKey() + ", which no"
                                        + " buildpack at or before it in the group provides" : " provides " + e.getKey()
                                        + ", which no buildpack at or after it in the group requires");
                                return Optional.empty();
                            }
                            lines.add("skip: " + what);
                            drop.add(o.member().key());
                        }
                    }
                }
                if (!drop.isEmpty()) {
                    trial.removeIf(o -> drop.contains(o.member().key()));
                    retry = true;
                }
            } while (retry);
            if (trial.isEmpty()) {
                lines.add("fail: no viable buildpacks in group");
                lastFailure = "no buildpack is left once the optional ones whose plans do not match are dropped";
                return Optional.empty();
            }
            List<Entry> entries = new ArrayList<>();
            deps.forEach((name, d) -> entries.add(new Entry(name, d.providers.stream().map(Option::member).toList(),
                    d.requires)));
            return Optional.of(new BuildPlan(trial.stream().map(Option::member).toList(), entries));
        }

        private static Map<String, Dependency> dependencies(List<Option> trial) {
            Map<String, Dependency> deps = new LinkedHashMap<>();
            for (Option o : trial) {
                for (String name : o.sections().provides()) {
                    List<Option> extra = deps.computeIfAbsent(name, n -> new Dependency()).extraProvides;
                    if (!extra.contains(o)) {
                        extra.add(o);
                    }
                }
                for (Require r : o.sections().requires()) {
                    Dependency d = deps.computeIfAbsent(r.name(), n -> new Dependency());
                    d.extraProvides.stream().filter(p -> !d.providers.contains(p)).forEach(d.providers::add);
                    d.extraProvides.clear();
                    if (d.providers.isEmpty()) {
                        d.earlyRequires.add(o);
                    } else {
                        d.requires.add(r);
                    }
                }
            }
            return deps;
        }
    }

    /** What a trial knows of one dependency name, as it walks the group. */
    private static final class Dependency {
        final List<Option> providers = new ArrayList<>();
        final List<Require> requires = new ArrayList<>();
        final List<Option> earlyRequires = new ArrayList<>();
        final List<Option> extraProvides = new ArrayList<>();
    }

    private static Map<String, Object> plain(TomlTable table) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : table.keySet()) {
            out.put(k, plainValue(table.get(List.of(k))));
        }
        return out;
    }

    private static Object plainValue(Object value) {
        if (value instanceof TomlTable t) {
            return plain(t);
        }
        if (value instanceof TomlArray a) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                items.add(plainValue(a.get(i)));
            }
            return items;
        }
        return value;
    }
}
