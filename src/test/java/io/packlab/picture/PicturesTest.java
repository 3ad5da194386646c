package io.packlab.picture;

import static io.packlab.picture.PictureFixtures.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSnapshot;
import io.packlab.error.PacklabException;
import io.packlab.support.FakeEngine;
import io.packlab.term.DisplayWidth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three pictures drawn from label JSON fixtures: exact lines in English and Japanese, never wider than 60. */
class PicturesTest {

    private static final Frame F60 = new Frame(60);
    private static final Texts EN = Texts.of("en");
    private static final Texts JA = Texts.of("ja");

    private static List<String> builtinBuilder(Texts t) {
        return BuilderPicture.draw(F60, t, "python:distroless", Optional.of(PictureFixtures.builtinBuilder()),
                Optional.of(new BuilderPicture.Base("distroless-python:build", PictureFixtures.BUILD_LAYERS)),
                PictureFixtures.builtinHistory(), Optional.of(PictureFixtures.runImage(PictureFixtures.RUN_LAYERS)));
    }

    private static RebasePicture.Drawing rebaseWithSnapshot(Texts t) {
        return RebasePicture.draw(F60, t, "webapp", "before-rebase",
                Optional.of(ImageSnapshot.of("webapp", PictureFixtures.app(), io.packlab.cnb.metadata.LifecycleMetadata.runTopLayer(PictureFixtures.app().labels()).orElse(null))), Optional.of(PictureFixtures.rebased()),
                Optional.empty());
    }

    private static void assertWithin(int width, List<String> lines) {
        for (String l : lines) {
            assertTrue(DisplayWidth.of(l) <= width, DisplayWidth.of(l) + " columns: " + l);
        }
    }

    /** Box lines (those starting with a box character) all end at the same column. */
    private static void assertBoxesClosed(List<String> lines) {
        for (String l : lines) {
            if (l.startsWith("│") || l.startsWith("┌") || l.startsWith("├") || l.startsWith("└")) {
                assertTrue(l.endsWith("│") || l.endsWith("┐") || l.endsWith("┤") || l.endsWith("┘"), l);
            }
        }
    }

    @Test
    void theBuilderIsTheBuildImageWithTheLayersCreateAddedAndNamesItsRunImage() {
        assertEquals(List.of(
                "python:distroless: the builder, image f0f0f0f0f0f0",
                "┌─ added by pack builder create ───────────────────────────┐",
                "│ /cnb/order.toml, run.toml, stack.toml       cfcfcfcfcfcf │",
                "│ lifecycle 0.21.0-packlab: /cnb/lifecycle    1c1c1c1c1c1c │",
                "│ buildpack example/python 0.0.1              b0b0b0b0b0b0 │",
                "├─ build image distroless-python:build ────────────────────┤",
                "│ #3                                          121212121212 │",
                "│ #2                                          111111111111 │",
                "│ #1                                          101010101010 │",
                "└──────────────────────────────────────────────────────────┘",
                " order.toml: example/python 0.0.1",
                " run image it names: distroless-python:run",
                "   not inside the builder: apps go on it",
                "   4 layers, top 232323232323"), builtinBuilder(EN));
        assertEquals(List.of(
                "python:distroless: ビルダー、イメージ f0f0f0f0f0f0",
                "┌─ pack builder create が足したレイヤー ───────────────────┐",
                "│ /cnb/order.toml, run.toml, stack.toml       cfcfcfcfcfcf │",
                "│ ライフサイクル 0.21.0-packlab               1c1c1c1c1c1c │",
                "│ ビルドパック example/python 0.0.1           b0b0b0b0b0b0 │",
                "├─ ビルドイメージ distroless-python:build ─────────────────┤",
                "│ #3                                          121212121212 │",
                "│ #2                                          111111111111 │",
                "│ #1                                          101010101010 │",
                "└──────────────────────────────────────────────────────────┘",
                " order.toml: example/python 0.0.1",
                " 指定するランイメージ: distroless-python:run",
                "   ビルダーには入らず、アプリがこの上に載る",
                "   4 レイヤー、最上位 232323232323"), builtinBuilder(JA));
    }

    @Test
    void aBuildShowsItsPhasesAndTheLayersExportWroteOnTheRunImage() {
        assertEquals(List.of(
                "webapp: the build, image aaaaaaaaaaaa",
                "┌────────┐  ┌─────────┐  ┌───────┐  ┌────────┐",
                "│ detect ├─▶│ restore ├─▶│ build ├─▶│ export │",
                "└────────┘  └─────────┘  └───────┘  └────────┘",
                " detect   example/python 0.0.1 passed",
                " restore  brings back cached layers: deps",
                " build    bin/build made deps, runtime",
                " export   the layers below, on the run image",
                "┌─ written by export ──────────────────────────────────────┐",
                "│ process types: /cnb/process/web             9e9e9e9e9e9e │",
                "│ launcher config: /layers/config             cccccccccccc │",
                "│ launcher: /cnb/lifecycle/launcher           1a1a1a1a1a1a │",
                "│ app: /workspace                             a0a0a0a0a0a0 │",
                "│ example/python: runtime                     d2d2d2d2d2d2 │",
                "│ example/python: deps                        d1d1d1d1d1d1 │",
                "├─ run image distroless-python:run ────────────────────────┤",
                "│ #4 runImage.topLayer                        232323232323 │",
                "│ #3                                          222222222222 │",
                "│ #2                                          212121212121 │",
                "│ #1                                          202020202020 │",
                "└──────────────────────────────────────────────────────────┘"),
                BuildPicture.draw(F60, EN, "webapp", Optional.of(PictureFixtures.app())));
        assertEquals(List.of(
                "webapp: ビルド、イメージ aaaaaaaaaaaa",
                "┌────────┐  ┌─────────┐  ┌───────┐  ┌────────┐",
                "│ detect ├─▶│ restore ├─▶│ build ├─▶│ export │",
                "└────────┘  └─────────┘  └───────┘  └────────┘",
                " detect   example/python 0.0.1 が合格",
                " restore  キャッシュのレイヤーを戻す: deps",
                " build    bin/build が作成: deps, runtime",
                " export   下のレイヤーをランイメージの上に",
                "┌─ export が書いたレイヤー ────────────────────────────────┐",
                "│ プロセスタイプ: /cnb/process/web            9e9e9e9e9e9e │",
                "│ ランチャーの設定: /layers/config            cccccccccccc │",
                "│ ランチャー: /cnb/lifecycle/launcher         1a1a1a1a1a1a │",
                "│ アプリ: /workspace                          a0a0a0a0a0a0 │",
                "│ example/python: runtime                     d2d2d2d2d2d2 │",
                "│ example/python: deps                        d1d1d1d1d1d1 │",
                "├─ ランイメージ distroless-python:run ─────────────────────┤",
                "│ #4 runImage.topLayer                        232323232323 │",
                "│ #3                                          222222222222 │",
                "│ #2                                          212121212121 │",
                "│ #1                                          202020202020 │",
                "└──────────────────────────────────────────────────────────┘"),
                BuildPicture.draw(F60, JA, "webapp", Optional.of(PictureFixtures.app())));
    }

    @Test
    void aRebaseKeepsTheAppLayersAndSwapsTheRunImageUnderThem() {
        RebasePicture.Drawing en = rebaseWithSnapshot(EN);
        assertEquals(List.of(
                "webapp: before the rebase (snapshot before-rebase) and after",
                "┌─ before aaaaaaaaaaaa ────┐   ┌─ after abababababab ─────┐",
                "│ process types   9e9e9e9e │ = │ process types   9e9e9e9e │",
                "│ config          cccccccc │ = │ config          cccccccc │",
                "│ launcher        1a1a1a1a │ = │ launcher        1a1a1a1a │",
                "│ app             a0a0a0a0 │ = │ app             a0a0a0a0 │",
                "│ runtime         d2d2d2d2 │ = │ runtime         d2d2d2d2 │",
                "│ deps            d1d1d1d1 │ = │ deps            d1d1d1d1 │",
                "├─ run image ──────────────┤   ├─ run image ──────────────┤",
                "│                          │ + │ #5              24242424 │",
                "│ #4              23232323 │ = │ #4              23232323 │",
                "│ ⋮ 2 more layers          │ = │ ⋮ 2 more layers          │",
                "│ #1              20202020 │ = │ #1              20202020 │",
                "└──────────────────────────┘   └──────────────────────────┘",
                " = same   → swapped   + added   - removed",
                " app layers: all 6 the same, no buildpack ran",
                " run image layers: 4 kept, 0 swapped, 1 added, 0 removed"), en.lines());
        assertEquals(List.of(), en.notes());
        RebasePicture.Drawing ja = rebaseWithSnapshot(JA);
        assertEquals(List.of(
                "webapp: リベースの前（スナップショット before-rebase）と後",
                "┌─ 前 aaaaaaaaaaaa ────────┐   ┌─ 後 abababababab ────────┐",
                "│ プロセスタイプ  9e9e9e9e │ = │ プロセスタイプ  9e9e9e9e │",
                "│ 設定            cccccccc │ = │ 設定            cccccccc │",
                "│ ランチャー      1a1a1a1a │ = │ ランチャー      1a1a1a1a │",
                "│ アプリ          a0a0a0a0 │ = │ アプリ          a0a0a0a0 │",
                "│ runtime         d2d2d2d2 │ = │ runtime         d2d2d2d2 │",
                "│ deps            d1d1d1d1 │ = │ deps            d1d1d1d1 │",
                "├─ ランイメージ ───────────┤   ├─ ランイメージ ───────────┤",
                "│                          │ + │ #5              24242424 │",
                "│ #4              23232323 │ = │ #4              23232323 │",
                "│ ⋮ ほか 2 レイヤー        │ = │ ⋮ ほか 2 レイヤー        │",
                "│ #1              20202020 │ = │ #1              20202020 │",
                "└──────────────────────────┘   └──────────────────────────┘",
                " = 同じ   → 入れ替え   + 追加   - 削除",
                " アプリのレイヤー: 6 個とも同じ、ビルドパックは動かない",
                " ランイメージのレイヤー: 同じ 4、入れ替え 0、追加 1、削除 0"), ja.lines());
    }

    @Test
    void aRebuiltRunImageWithNewLayersShowsThemSwappedAndARebuildShowsTheAppChanged() {
        List<String> run = List.of(d("30"), d("31"), d("32"), d("33"));
        List<String> layers = new ArrayList<>(run);
        List<String> app = new ArrayList<>(PictureFixtures.APP_LAYERS);
        app.set(2, d("a9")); // another app layer: a rebuild with changed source
        layers.addAll(app);
        ImageInfo rebuilt = PictureFixtures.image(d("ac"), "webapp", PictureFixtures.appLabels(d("33")), layers);
        RebasePicture.Drawing r = RebasePicture.draw(F60, EN, "webapp", "before-rebase",
                Optional.of(ImageSnapshot.of("webapp", PictureFixtures.app(), io.packlab.cnb.metadata.LifecycleMetadata.runTopLayer(PictureFixtures.app().labels()).orElse(null))), Optional.of(rebuilt), Optional.empty());
        assertTrue(r.lines().contains("│ #4              23232323 │ → │ #4              33333333 │"), String.join("\n",
                r.lines()));
        assertTrue(r.lines().contains("│ app             a0a0a0a0 │ → │ layer           a9a9a9a9 │"), String.join("\n",
                r.lines()));
        assertTrue(r.lines().contains(" app layers changed: a rebuild, not a rebase"), String.join("\n", r.lines()));
        assertTrue(r.lines().contains(" run image layers: 0 kept, 4 swapped, 0 added, 0 removed"),
                String.join("\n", r.lines()));
    }

    @Test
    void withoutASnapshotTheRebasePictureIsTheImageNowAndWhatARebaseWouldMake() {
        FakeEngine engine = new FakeEngine().withImage(PictureFixtures.app())
                .withImage(PictureFixtures.runImage(PictureFixtures.patchedRun()));
        List<String> lines = new Pictures(engine, "en", 80).draw(Pictures.Kind.REBASE, "webapp", Optional.empty());
        assertEquals("webapp now, and after a rebase onto distroless-python:run", lines.get(0));
        assertEquals("┌─ now aaaaaaaaaaaa ───────┐   ┌─ after a rebase ─────────┐", lines.get(1));
        assertTrue(lines.contains("│                          │ + │ #5              24242424 │"), String.join("\n", lines));
        assertEquals(List.of(
                "No snapshot before-rebase was recorded: snapshot",
                "before-rebase webapp before pack rebase keeps the picture of",
                "before."), lines.subList(lines.size() - 3, lines.size()));
        assertWithin(60, lines);

        FakeEngine same = new FakeEngine().withImage(PictureFixtures.app())
                .withImage(PictureFixtures.runImage(PictureFixtures.RUN_LAYERS));
        List<String> ja = new Pictures(same, "ja", 60).draw(Pictures.Kind.REBASE, "webapp", Optional.empty());
        assertTrue(String.join("", ja).contains("webapp はすでに distroless-python:run の上にあります。"), String.join("\n", ja));
        assertWithin(60, ja);
    }

    @Test
    void packsBuilderLayoutWithoutHistoryFindsTheBuildImageByItsLayers() {
        FakeEngine engine = new FakeEngine().withImage(PictureFixtures.packBuilder())
                .withImage(PictureFixtures.buildImage()).withImage(PictureFixtures.runImage(PictureFixtures.RUN_LAYERS))
                .withImage(PictureFixtures.app());
        List<String> lines = new Pictures(engine, "en", 60).draw(Pictures.Kind.BUILDER, "python:distroless",
                Optional.empty());
        assertEquals(List.of(
                "python:distroless: the builder, image f1f1f1f1f1f1",
                "┌─ added by pack builder create ───────────────────────────┐",
                "│ /cnb/order.toml, run.toml, stack.toml       5f5f5f5f5f5f │",
                "│ /cnb/order.toml, run.toml, stack.toml       0f0f0f0f0f0f │",
                "│ buildpack example/python 0.0.1              b0b0b0b0b0b0 │",
                "│ lifecycle 0.21.0-packlab: /cnb/lifecycle    1c1c1c1c1c1c │",
                "├─ build image distroless-python:build ────────────────────┤"), lines.subList(0, 7));
    }

    @Test
    void absentImagesGiveTheGenericPictureAndTheCommandThatMakesTheRealOne() {
        FakeEngine empty = new FakeEngine();
        for (String lang : List.of("en", "ja")) {
            for (Pictures.Kind kind : Pictures.Kind.values()) {
                for (int width : List.of(60, 40, 120)) {
                    List<String> lines = new Pictures(empty, lang, width).draw(kind, kind.defaultImage(), Optional.empty());
                    assertWithin(Math.min(60, width), lines);
                    assertBoxesClosed(lines);
                    assertTrue(lines.stream().anyMatch(l -> l.contains("<")), "placeholders: " + lines);
                    String text = String.join("", lines).replace(" ", "");
                    String lesson = kind == Pictures.Kind.BUILDER ? "builder" : "build";
                    assertTrue(text.contains("run" + lesson), lang + " " + kind + ": " + lines);
                    assertTrue(text.contains(kind == Pictures.Kind.BUILDER ? "packbuildercreate" : "packbuild"),
                            lang + " " + kind + ": " + lines);
                }
            }
        }
        List<String> builder = new Pictures(empty, "en", 60).draw(Pictures.Kind.BUILDER, "python:distroless",
                Optional.empty());
        assertEquals(List.of(
                "python:distroless is not in the engine yet: pack builder",
                "create in lesson builder makes the real one (run builder),",
                "then type this again."), builder.subList(builder.size() - 3, builder.size()));
    }

    @Test
    void everyRealPictureFitsAt60And40ColumnsInBothLanguages() {
        FakeEngine engine = new FakeEngine().withImage(PictureFixtures.builtinBuilder())
                .withImage(PictureFixtures.buildImage()).withImage(PictureFixtures.runImage(PictureFixtures.RUN_LAYERS))
                .withImage(PictureFixtures.app());
        Optional<ImageSnapshot> before = Optional.of(ImageSnapshot.of("webapp", PictureFixtures.app(), io.packlab.cnb.metadata.LifecycleMetadata.runTopLayer(PictureFixtures.app().labels()).orElse(null)));
        for (String lang : List.of("en", "ja")) {
            for (int width : List.of(60, 40, 200)) {
                for (Pictures.Kind kind : Pictures.Kind.values()) {
                    List<String> lines = new Pictures(engine, lang, width).draw(kind, kind.defaultImage(), before);
                    assertWithin(Math.min(60, width), lines);
                    assertBoxesClosed(lines);
                    assertFalse(lines.stream().anyMatch(l -> l.contains("<")), "no placeholder: " + lines);
                }
            }
        }
        assertEquals(60, DisplayWidth.of(builtinBuilder(JA).get(1)));
        assertEquals(59, DisplayWidth.of(rebaseWithSnapshot(JA).lines().get(1)), "two boxes of 28 and a gap of 3");
    }

    @Test
    void anImageOfTheWrongKindIsBadInput() {
        FakeEngine engine = new FakeEngine().withImage(PictureFixtures.app())
                .withImage(PictureFixtures.runImage(PictureFixtures.RUN_LAYERS));
        PacklabException notBuilder = assertThrows(PacklabException.class, () -> new Pictures(engine, "en", 60)
                .draw(Pictures.Kind.BUILDER, "webapp", Optional.empty()));
        assertEquals(2, notBuilder.exitCode());
        assertEquals("webapp is not a builder: it has no io.buildpacks.builder.metadata label. Name a builder, such"
                + " as python:distroless (lesson builder).", notBuilder.getMessage());
        PacklabException notApp = assertThrows(PacklabException.class, () -> new Pictures(engine, "en", 60)
                .draw(Pictures.Kind.BUILD, "distroless-python:run", Optional.empty()));
        assertEquals(2, notApp.exitCode());
        assertTrue(notApp.getMessage().startsWith("distroless-python:run is not an app image built with buildpacks"),
                notApp.getMessage());
    }

    @Test
    void labelsThatAreNotJsonReadAsEmpty() {
        CnbLabels.App app = CnbLabels.app(java.util.Map.of(CnbLabels.LIFECYCLE, "{not json"));
        assertTrue(app.layers().isEmpty());
        assertTrue(app.runTopLayer().isEmpty());
        CnbLabels.Builder b = CnbLabels.builder(java.util.Map.of(CnbLabels.BUILDER, "[]"));
        assertTrue(b.buildpacks().isEmpty() && b.runImage().isEmpty());
    }

    /** webapp built by two buildpacks, so that the phase notes are longer than a line. */
    private static ImageInfo twoBuildpacks() {
        String second = "{\"key\":\"example/python-requirements\",\"version\":\"0.0.2\",\"layers\":{"
                + "\"site-packages\":{\"sha\":\"" + PictureFixtures.d("d3") + "\",\"data\":{},\"launch\":true,"
                + "\"cache\":true}}}],";
        Map<String, String> labels = new HashMap<>(PictureFixtures.appLabels(PictureFixtures.d("23")));
        labels.put(CnbLabels.LIFECYCLE, PictureFixtures.lifecycleLabel(PictureFixtures.d("23"))
                .replace("}}}],", "}}}," + second));
        List<String> layers = new ArrayList<>(PictureFixtures.RUN_LAYERS);
        layers.add(PictureFixtures.d("d3"));
        layers.addAll(PictureFixtures.APP_LAYERS);
        return PictureFixtures.image(PictureFixtures.d("aa"), "webapp", labels, layers);
    }

    @Test
    void longPhaseNotesWrapByWordsUnderTheirOwnText() {
        List<String> en = BuildPicture.draw(F60, EN, "webapp", Optional.of(twoBuildpacks()));
        assertEquals(List.of(
                " detect   example/python 0.0.1, example/python-requirements",
                "          0.0.2 passed",
                " restore  brings back cached layers: deps, site-packages",
                " build    bin/build made example/python: deps, runtime;",
                "          example/python-requirements: site-packages",
                " export   the layers below, on the run image"), en.subList(4, 10));
        List<String> ja = BuildPicture.draw(F60, JA, "webapp", Optional.of(twoBuildpacks()));
        assertEquals(List.of(
                " detect   example/python 0.0.1, example/python-requirements",
                "          0.0.2 が合格",
                " restore  キャッシュのレイヤーを戻す: deps, site-packages",
                " build    bin/build が作成: example/python: deps, runtime;",
                "          example/python-requirements: site-packages",
                " export   下のレイヤーをランイメージの上に"), ja.subList(4, 10));
        for (List<String> picture : List.of(en, ja)) {
            for (String line : picture) {
                assertTrue(DisplayWidth.of(line) <= 60, line);
                assertFalse(line.contains("…"), "only box rows are cut: " + line);
            }
        }
    }

    @Test
    void aNoteWrapsJapaneseAnywhereButNotBeforeClosingPunctuationAndBreaksOnlyAWordWiderThanTheLine() {
        assertEquals(List.of(" 作業  ランイメージのレ", "      イヤーを入れ替え", "      ます。"),
                Frame.note(" 作業  ", "ランイメージのレイヤーを入れ替えます。", 24, "      "));
        assertEquals(List.of(" a  abcdefghij", "    klmnop"), Frame.note(" a  ", "abcdefghijklmnop", 14, "    "));
        assertEquals(List.of("a title that is", "  wrapped"), Frame.note("", "a title that is wrapped", 16, "  "));
        assertEquals(List.of(" short"), Frame.note(" ", "short", 60, "   "));
    }

    @Test
    void textTooLongForARowIsCutWithAnEllipsisAtTheColumn() {
        assertEquals("abcd…", Frame.fit("abcdefgh", 5));
        assertEquals("ビル…", Frame.fit("ビルドパック", 6));
        String row = new Frame(24).row("ビルドパック example/python", "1234");
        assertEquals("│ ビルドパック e… 1234 │", row);
        assertEquals(24, DisplayWidth.of(row));
    }
}
