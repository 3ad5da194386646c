package io.packlab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the package rules of docs/architecture.md true. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.packlab");
    }

    @Test
    void dockerJavaStaysInTheEnginePackage() {
        noClasses().that().resideOutsideOfPackage("io.packlab.engine..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..").check(classes);
    }

    @Test
    void jlineOnlyInTheShell() {
        noClasses().that().resideOutsideOfPackage("io.packlab.shell..")
                .should().dependOnClassesThat().resideInAPackage("org.jline..").check(classes);
    }

    @Test
    void picocliOnlyInCommandParsing() {
        noClasses().that().resideOutsideOfPackages("io.packlab.cli..", "io.packlab.shell..", "io.packlab.step..")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(classes);
    }

    @Test
    void lessonsAndChecksKnowNothingOfTheSurface() {
        noClasses().that().resideInAnyPackage("io.packlab.lesson..", "io.packlab.check..", "io.packlab.engine..",
                "io.packlab.progress..", "io.packlab.term..", "io.packlab.config..", "io.packlab.cnb..",
                "io.packlab.picture..", "io.packlab.words..")
                .should().dependOnClassesThat().resideInAnyPackage("io.packlab.cli..", "io.packlab.shell..",
                        "io.packlab.workshop..", "io.packlab.step..", "io.packlab.kit..", "io.packlab.authoring..")
                .check(classes);
    }

    @Test
    void onlyMainExitsAndWritesToTheProcessStreams() {
        noClasses().that().doNotHaveFullyQualifiedName("io.packlab.cli.Main")
                .should().callMethod(System.class, "exit", int.class).check(classes);
        noClasses().that().doNotHaveFullyQualifiedName("io.packlab.cli.Main")
                .should().accessField(System.class, "out").check(classes);
    }

    @Test
    void theBuiltinPlatformKnowsNothingOfLessons() {
        noClasses().that().resideInAPackage("io.packlab.cnb..")
                .should().dependOnClassesThat().resideInAnyPackage("io.packlab.lesson..", "io.packlab.check..",
                        "io.packlab.progress..")
                .check(classes);
    }

    @Test
    void theEngineKnowsNoCnbAndTheMetadataNeedsNoPlatform() {
        noClasses().that().resideInAPackage("io.packlab.engine..")
                .should().dependOnClassesThat().resideInAPackage("io.packlab.cnb..").check(classes);
        noClasses().that().resideInAPackage("io.packlab.cnb.metadata..")
                .should().dependOnClassesThat().resideInAnyPackage("io.packlab.engine..", "io.packlab.cnb.platform..",
                        "io.packlab.cnb.image..", "io.packlab.cnb.registry..", "io.packlab.cnb.descriptor..")
                .check(classes);
    }

    @Test
    void theWordSplitterStandsOnItsOwn() {
        classes().that().resideInAPackage("io.packlab.words..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.packlab.words..", "io.packlab.error..",
                        "java..")
                .check(classes);
    }

    @Test
    void theKitIsImagesToAnArchiveAndBack() {
        classes().that().resideInAPackage("io.packlab.kit..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.packlab.kit..", "io.packlab.engine..",
                        "io.packlab.config..", "io.packlab.cnb.platform..", "io.packlab.term..", "io.packlab.error..",
                        "java..", "com.fasterxml.jackson..", "org.apache.commons.compress..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.packlab.kit..", "io.packlab.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.packlab.kit..").check(classes);
    }

    @Test
    void authoringReadsLessonsWithoutAnEngine() {
        classes().that().resideInAPackage("io.packlab.authoring..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.packlab.authoring..", "io.packlab.lesson..",
                        "io.packlab.check..", "io.packlab.words..", "io.packlab.error..", "java..", "org.commonmark..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.packlab.authoring..", "io.packlab.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.packlab.authoring..").check(classes);
    }

    @Test
    void theClassroomServerHasNoFileAndNoEngine() {
        classes().that().resideInAPackage("io.packlab.classroom.server..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.packlab.classroom.server..",
                        "io.packlab.error..", "java.lang..", "java.util..", "java.time..", "java.net..",
                        "java.security..", "java.io..", "java.nio.charset..", "com.sun.net.httpserver..",
                        "com.fasterxml.jackson..")
                .check(classes);
        noClasses().that().resideInAPackage("io.packlab.classroom.server..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveNameMatching("java\\.io\\.File(Input|Output)Stream|java\\.io\\.RandomAccessFile")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.packlab.classroom.server..", "io.packlab.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.packlab.classroom.server..").check(classes);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.packlab.(*)..").should().beFreeOfCycles().check(classes);
    }
}
