package io.pitrconsole.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** DESIGN.md's dependency direction, enforced. */
@AnalyzeClasses(packages = "io.pitrconsole", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    // Main chooses between the CLI and the window: the one class that knows both faces.
    @ArchTest
    static final ArchRule nothingOutsideUiTouchesJavaFx = noClasses()
            .that().resideOutsideOfPackage("io.pitrconsole.ui..")
            .and().doNotHaveFullyQualifiedName("io.pitrconsole.Main")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "io.pitrconsole.ui..")
            .because("only the ui package may use JavaFX; services and the CLI run headless");

    @ArchTest
    static final ArchRule servicesNeverUseTheCli = noClasses()
            .that().resideOutsideOfPackages("io.pitrconsole.cli..", "io.pitrconsole.ui..")
            .and().doNotHaveFullyQualifiedName("io.pitrconsole.Main")
            .should().dependOnClassesThat().resideInAPackage("io.pitrconsole.cli..")
            .because("the CLI and the GUI are faces over the services, not the other way round");

    @ArchTest
    static final ArchRule coreDependsOnNothingOfOurs = noClasses()
            .that().resideInAPackage("io.pitrconsole.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.pitrconsole.pg..", "io.pitrconsole.archive..", "io.pitrconsole.wal..", "io.pitrconsole.backup..",
                    "io.pitrconsole.recovery..", "io.pitrconsole.archiving..", "io.pitrconsole.schedule..",
                    "io.pitrconsole.config..", "io.pitrconsole.cli..", "io.pitrconsole.ui..");

    @ArchTest
    static final ArchRule lowerLayersDoNotUseServices = noClasses()
            .that().resideInAnyPackage("io.pitrconsole.pg..", "io.pitrconsole.archive..", "io.pitrconsole.wal..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.pitrconsole.backup..", "io.pitrconsole.recovery..", "io.pitrconsole.archiving..", "io.pitrconsole.schedule..");

    // Main hands System.out/err to the CLI as writers; it prints nothing itself.
    @ArchTest
    static final ArchRule onlyTheCliWritesToStandardStreams = noClasses()
            .that().resideOutsideOfPackage("io.pitrconsole.cli..")
            .and().doNotHaveFullyQualifiedName("io.pitrconsole.Main")
            .should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("everything else logs through SLF4J");
}
