package io.packlab.cnb.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an app image records in {@code io.buildpacks.build.metadata}: the buildpacks of the group
 * (with their Buildpack API), the launcher, the process types and the default one. Read and written
 * back as {@link LifecycleMetadata} is; components are null where the label has no such key.
 *
 * @param bom                 the deprecated bill of materials, as JSON
 * @param buildpacks          the group's buildpacks
 * @param launcher            the launcher's version and source, as JSON
 * @param processes           the process types
 * @param defaultProcessType  {@code buildpack-default-process-type}
 * @param source              the JSON this value was read from, null when made here
 */
public record BuildMetadata(JsonNode bom, List<Buildpack> buildpacks, JsonNode launcher, List<Process> processes,
        String defaultProcessType, ObjectNode source) {

    /** The label that holds it. */
    public static final String LABEL = "io.buildpacks.build.metadata";

    public BuildMetadata {
        bom = bom == null ? null : bom.deepCopy();
        buildpacks = Json.copy(buildpacks);
        launcher = launcher == null ? null : launcher.deepCopy();
        processes = Json.copy(processes);
        source = source == null ? null : source.deepCopy();
    }

    /** One buildpack of the group: id, version, Buildpack API, homepage (null when absent). */
    public record Buildpack(String id, String version, String api, String homepage) {

        static Buildpack read(JsonNode node, String path) {
            ObjectNode o = Json.object(node, path);
            return new Buildpack(Json.text(o, "id", path + ".id"), Json.text(o, "version", path + ".version"),
                    Json.text(o, "api", path + ".api"), Json.text(o, "homepage", path + ".homepage"));
        }

        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("id", id, Buildpack::id, () -> Json.textNode(id))
                    .put("version", version, Buildpack::version, () -> Json.textNode(version))
                    .put("api", api, Buildpack::api, () -> Json.textNode(api))
                    .put("homepage", homepage, Buildpack::homepage, () -> Json.textNode(homepage)).done();
        }
    }

    /**
     * One process type. {@code command} is an array from Platform API 0.10 (a string before: read as
     * one word, written back as it was).
     */
    public record Process(String type, List<String> command, List<String> args, Boolean direct, Boolean isDefault,
            String buildpackId, String workingDir) {

        public Process {
            command = Json.copy(command);
            args = Json.copy(args);
        }

        static Process read(JsonNode node, String path) {
            ObjectNode o = Json.object(node, path);
            JsonNode command = Json.field(o, "command");
            return new Process(Json.text(o, "type", path + ".type"), command != null && command.isTextual()
                    ? List.of(command.asText()) : Json.texts(o, "command", path + ".command"),
                    Json.texts(o, "args", path + ".args"), Json.bool(o, "direct", path + ".direct"),
                    Json.bool(o, "default", path + ".default"), Json.text(o, "buildpackID", path + ".buildpackID"),
                    Json.text(o, "working-dir", path + ".working-dir"));
        }

        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("type", type, Process::type, () -> Json.textNode(type))
                    .put("command", command, Process::command, () -> Json.texts(command))
                    .put("args", args, Process::args, () -> Json.texts(args))
                    .put("direct", direct, Process::direct, () -> Json.boolNode(direct))
                    .put("default", isDefault, Process::isDefault, () -> Json.boolNode(isDefault))
                    .put("buildpackID", buildpackId, Process::buildpackId, () -> Json.textNode(buildpackId))
                    .put("working-dir", workingDir, Process::workingDir, () -> Json.textNode(workingDir)).done();
        }
    }

    /** The app image's build metadata; absent, not JSON or of another shape is a {@link MetadataException}. */
    public static BuildMetadata of(Map<String, String> labels, String image) {
        return Json.label(labels, LABEL, image, BuildMetadata::read);
    }

    /** The build metadata when the labels hold a readable one, else empty. */
    public static Optional<BuildMetadata> find(Map<String, String> labels) {
        return Json.findLabel(labels, LABEL, BuildMetadata::read);
    }

    static BuildMetadata read(JsonNode json) {
        ObjectNode o = Json.object(json, "the label");
        return new BuildMetadata(Json.field(o, "bom"), Json.list(Json.field(o, "buildpacks"), "buildpacks",
                Buildpack::read), Json.field(o, "launcher"), Json.list(Json.field(o, "processes"), "processes",
                Process::read), Json.text(o, "buildpack-default-process-type", "buildpack-default-process-type"), o);
    }

    /**
     * The build metadata as packlab's exporter writes it: an empty bom, the buildpacks, the launcher
     * ({@code {"version", "source": {"name"}}}), the processes and the default type (when there is one).
     */
    public static BuildMetadata exported(List<Buildpack> buildpacks, String launcherVersion, String launcherSource,
            List<Process> processes, String defaultProcessType) {
        ObjectNode launcher = Json.MAPPER.createObjectNode();
        launcher.put("version", launcherVersion).putObject("source").put("name", launcherSource);
        return new BuildMetadata(Json.MAPPER.createArrayNode(), buildpacks, launcher, processes, defaultProcessType,
                null);
    }

    /** The JSON: new values in packlab's order, a read value around the source's keys and order. */
    public ObjectNode toJson() {
        return new Json.Writer<>(source, BuildMetadata::read)
                .put("bom", bom, BuildMetadata::bom, () -> bom.deepCopy())
                .put("buildpacks", buildpacks, BuildMetadata::buildpacks,
                        s -> Json.array(buildpacks, s, Buildpack::write))
                .put("launcher", launcher, BuildMetadata::launcher, () -> launcher.deepCopy())
                .put("processes", processes, BuildMetadata::processes, s -> Json.array(processes, s, Process::write))
                .put("buildpack-default-process-type", defaultProcessType, BuildMetadata::defaultProcessType,
                        () -> Json.textNode(defaultProcessType)).done();
    }

    /** The label's text: {@link #toJson} as compact JSON. */
    public String toLabel() {
        return Json.write(toJson());
    }

    /** The buildpacks (none when the label has no {@code buildpacks}). */
    public List<Buildpack> buildpackList() {
        return buildpacks == null ? List.of() : buildpacks;
    }

    /** Equal by the typed fields; the source is how it is written, not what it says. */
    @Override
    public boolean equals(Object other) {
        return other instanceof BuildMetadata m && Objects.equals(bom, m.bom) && Objects.equals(buildpacks, m.buildpacks)
                && Objects.equals(launcher, m.launcher) && Objects.equals(processes, m.processes)
                && Objects.equals(defaultProcessType, m.defaultProcessType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bom, buildpacks, launcher, processes, defaultProcessType);
    }
}
