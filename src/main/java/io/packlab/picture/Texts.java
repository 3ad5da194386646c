package io.packlab.picture;

import java.util.Locale;

/** The words of the pictures, in English or Japanese (any other language gets English). */
final class Texts {

    private final boolean ja;

    private Texts(boolean ja) {
        this.ja = ja;
    }

    static Texts of(String lang) {
        return new Texts("ja".equals(lang == null ? "" : lang.toLowerCase(Locale.ROOT)));
    }

    private String t(String en, String ja) {
        return this.ja ? ja : en;
    }

    // shared

    String layer() {
        return t("layer", "レイヤー");
    }

    String moreLayers(int n) {
        return t("⋮ " + n + (n == 1 ? " more layer" : " more layers"), "⋮ ほか " + n + " レイヤー");
    }

    String notInEngine(String image) {
        return t(image + " is not in the engine", image + " はエンジンにありません");
    }

    /** The line under a generic picture: which command makes the real one. */
    String absent(String image, String command, String lesson) {
        return t("`" + image + "` is not in the engine yet: `" + command + "` in lesson " + lesson
                + " makes the real one (`run " + lesson + "`), then type this again.",
                "`" + image + "` はまだエンジンにありません。本物はレッスン " + lesson + " の `" + command
                + "` で作られます（`run " + lesson + "`）。その後でもう一度入力してください。");
    }

    // builder

    String builderTitle(String name, String id) {
        return t(name + ": the builder, image " + id, name + ": ビルダー、イメージ " + id);
    }

    String addedByCreate() {
        return t("added by pack builder create", "pack builder create が足したレイヤー");
    }

    String cnbFiles() {
        return "/cnb/order.toml, run.toml, stack.toml";
    }

    String lifecycle(String version) {
        return t("lifecycle " + version + ": /cnb/lifecycle", "ライフサイクル " + version);
    }

    String buildpack(String id, String version) {
        return t("buildpack " + id + " " + version, "ビルドパック " + id + " " + version);
    }

    String buildImage(String name) {
        return t("build image" + (name == null ? "" : " " + name), "ビルドイメージ" + (name == null ? "" : " " + name));
    }

    String order(String group) {
        return t("order.toml: " + group, "order.toml: " + group);
    }

    String namesRunImage(String run) {
        return t("run image it names: " + run, "指定するランイメージ: " + run);
    }

    String runImageAside() {
        return t("not inside the builder: apps go on it", "ビルダーには入らず、アプリがこの上に載る");
    }

    String runLayers(int n, String top) {
        return t(n + (n == 1 ? " layer" : " layers") + ", top " + top, n + " レイヤー、最上位 " + top);
    }

    // build

    String buildTitle(String name, String id) {
        return t(name + ": the build, image " + id, name + ": ビルド、イメージ " + id);
    }

    String detected(String buildpacks) {
        return t(buildpacks + " passed", buildpacks + " が合格");
    }

    String restored(String layers) {
        return layers.isEmpty() ? t("no layer is cached (cache = true)", "キャッシュされたレイヤーはない")
                : t("brings back cached layers: " + layers, "キャッシュのレイヤーを戻す: " + layers);
    }

    String built(String layers) {
        return t("bin/build made " + layers, "bin/build が作成: " + layers);
    }

    String exported() {
        return t("the layers below, on the run image", "下のレイヤーをランイメージの上に");
    }

    String writtenByExport() {
        return t("written by export", "export が書いたレイヤー");
    }

    String app() {
        return t("app", "アプリ");
    }

    String launcher() {
        return t("launcher", "ランチャー");
    }

    String config() {
        return t("launcher config", "ランチャーの設定");
    }

    String processTypes() {
        return t("process types", "プロセスタイプ");
    }

    String runImage(String name) {
        return t("run image" + (name == null ? "" : " " + name), "ランイメージ" + (name == null ? "" : " " + name));
    }

    // rebase

    String rebaseTitle(String name, String snapshot) {
        return t(name + ": before the rebase (snapshot " + snapshot + ") and after",
                name + ": リベースの前（スナップショット " + snapshot + "）と後");
    }

    String rebaseNowTitle(String name, String run) {
        return t(name + " now, and after a rebase onto " + run, name + " の現在と、" + run + " へのリベース後");
    }

    String before() {
        return t("before", "前");
    }

    String after() {
        return t("after", "後");
    }

    String now() {
        return t("now", "現在");
    }

    String afterRebase() {
        return t("after a rebase", "リベース後");
    }

    String config2() {
        return t("config", "設定");
    }

    String legend() {
        return t("= same   → swapped   + added   - removed", "= 同じ   → 入れ替え   + 追加   - 削除");
    }

    String appSame(int n) {
        return t("app layers: all " + n + " the same, no buildpack ran", "アプリのレイヤー: " + n + " 個とも同じ、ビルドパックは動かない");
    }

    String appChanged() {
        return t("app layers changed: a rebuild, not a rebase", "アプリのレイヤーが変わった: リベースではなく再ビルド");
    }

    String runSummary(int same, int swapped, int added, int removed) {
        return t("run image layers: " + same + " kept, " + swapped + " swapped, " + added + " added, " + removed
                + " removed", "ランイメージのレイヤー: 同じ " + same + "、入れ替え " + swapped + "、追加 " + added + "、削除 "
                + removed);
    }

    String noSnapshot(String snapshot, String image) {
        return t("No snapshot " + snapshot + " was recorded: `snapshot " + snapshot + " " + image + "` before"
                + " `pack rebase` keeps the picture of before.", "スナップショット " + snapshot + " は記録されていません。"
                + "`pack rebase` の前に `snapshot " + snapshot + " " + image + "` を実行すると、前の姿を残せます。");
    }

    String alreadyOn(String image, String run) {
        return t(image + " already sits on " + run + ": a rebase would change nothing.",
                image + " はすでに " + run + " の上にあります。リベースしても何も変わりません。");
    }

    String runAbsent(String run) {
        return t("The run image " + run + " is not in the engine: build it (lesson stack, `run stack`).",
                "ランイメージ " + run + " がエンジンにありません。ビルドしてください（レッスン stack、`run stack`）。");
    }
}
