package io.packlab.workshop;

import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Engine;
import io.packlab.engine.Owner;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What packlab processes that were killed ({@code kill -9}, a power cut) left on this machine: their
 * containers (by the label {@value Owner#LABEL}) and temporary files and folders (by their names).
 * Only things whose owner ran on this machine and is no longer running are orphans; a live packlab's
 * and those of other machines on a shared engine are never selected.
 */
public final class Orphans {

    /** Containers and temporary files of dead packlab processes, and the pids of those processes. */
    public record Found(List<ContainerSummary> containers, List<Path> temps) {

        public boolean isEmpty() {
            return containers.isEmpty() && temps.isEmpty();
        }

        /** The pids of the dead packlab processes, in order. */
        public List<Long> pids() {
            TreeSet<Long> pids = new TreeSet<>();
            containers.forEach(c -> Owner.fromLabel(c.labels().get(Owner.LABEL)).ifPresent(o -> pids.add(o.pid())));
            temps.forEach(t -> Owner.fromTempName(t.getFileName().toString()).ifPresent(o -> pids.add(o.pid())));
            return List.copyOf(pids);
        }

        /** For one line: "1 container (name) and 1 temporary folder (/tmp/packlab-...) of packlab pid 1234". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!containers.isEmpty()) {
                parts.add(count(containers.size(), "container") + " (" + names(containers.stream()
                        .map(c -> c.name().isEmpty() ? shortId(c.id()) : c.name()).toList()) + ")");
            }
            if (!temps.isEmpty()) {
                // told by name, as they may be gone by now: packlab's temp files have a suffix (.tar), its folders none
                long folders = temps.stream().filter(p -> !p.getFileName().toString().contains(".")).count();
                String kind = folders == temps.size() ? "temporary folder" : folders == 0 ? "temporary file" : null;
                parts.add((kind == null ? temps.size() + " temporary files and folders" : count(temps.size(), kind))
                        + " (" + names(temps.stream().map(Path::toString).toList()) + ")");
            }
            List<Long> pids = pids();
            return String.join(" and ", parts) + " of packlab " + (pids.size() == 1 ? "pid " : "pids ")
                    + String.join(", ", pids.stream().map(String::valueOf).toList());
        }

        /** The commands that remove them by hand. */
        public String commands() {
            List<String> cmds = new ArrayList<>();
            if (!containers.isEmpty()) {
                cmds.add("docker rm -f " + String.join(" ", containers.stream().map(c -> shortId(c.id())).toList()));
            }
            if (!temps.isEmpty()) {
                cmds.add("rm -rf " + String.join(" ", temps.stream().map(Path::toString).toList()));
            }
            return String.join("; ", cmds);
        }
    }

    private Orphans() {
    }

    /** Finds the orphans: containers of the engine and entries of {@code tempDir}. */
    public static Found find(Engine engine, Path tempDir) {
        List<ContainerSummary> containers = engine.listContainers(Engine.labelFilter(Owner.LABEL, null)).stream()
                .filter(c -> Owner.fromLabel(c.labels().get(Owner.LABEL)).filter(Owner::gone).isPresent())
                .toList();
        return new Found(containers, temps(tempDir));
    }

    /** Temporary files and folders of dead packlab processes of this machine. */
    static List<Path> temps(Path tempDir) {
        try (Stream<Path> list = Files.list(tempDir)) {
            return list.filter(p -> Owner.fromTempName(p.getFileName().toString()).filter(Owner::gone).isPresent())
                    .sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of(); // an unreadable temp folder: nothing of ours can be told there
        }
    }

    /**
     * Removes what {@code found} names; returns what is gone. A container the engine refuses to remove
     * (or a file that cannot be deleted) is left for the next time, not reported as removed.
     */
    public static Found remove(Engine engine, Found found) {
        List<ContainerSummary> removed = new ArrayList<>();
        for (ContainerSummary c : found.containers()) {
            try {
                engine.removeContainer(c.id());
                removed.add(c);
            } catch (PacklabException e) {
                // still there: the next packlab tries again, and doctor names it
            }
        }
        List<Path> deleted = new ArrayList<>();
        for (Path p : found.temps()) {
            if (deleteTree(p)) {
                deleted.add(p);
            }
        }
        return new Found(removed, deleted);
    }

    /**
     * After a signal stopped this process's command: removes what of this process is still there, its
     * containers (if it reached an engine) and its temporary files; returns what could not be removed.
     */
    public static Found removeOwn(Engine engine, Path tempDir) {
        String me = Owner.current().label();
        List<ContainerSummary> containers = engine == null ? List.of()
                : engine.listContainers(Engine.labelFilter(Owner.LABEL, me));
        List<Path> temps;
        try (Stream<Path> list = Files.list(tempDir)) {
            temps = list.filter(p -> Owner.fromTempName(p.getFileName().toString())
                    .filter(Owner.current()::equals).isPresent()).sorted().toList();
        } catch (IOException | RuntimeException e) {
            temps = List.of();
        }
        Found own = new Found(containers, temps);
        Found removed = remove(engine, own);
        return new Found(containers.stream().filter(c -> !removed.containers().contains(c)).toList(),
                temps.stream().filter(t -> !removed.temps().contains(t)).toList());
    }

    /** The system's folder for temporary files, where packlab makes its own. */
    public static Path systemTemp() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    static boolean deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return !Files.exists(root);
        }
    }

    private static String count(int n, String one) {
        return count(n, one, one + "s");
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String names(List<String> names) {
        int shown = Math.min(3, names.size());
        String list = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? list + " and " + (names.size() - shown) + " more" : list;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
