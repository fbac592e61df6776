package io.pitrconsole.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What DESIGN.md says beside the parts and directions (LayersTest): JavaFX only in the console, standard streams only in the command line. */
@AnalyzeClasses(packages = "io.pitrconsole", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    // Main chooses between the CLI and the window: the one class that knows both faces.
    @ArchTest
    static final ArchRule nothingOutsideUiTouchesJavaFx = noClasses()
            .that().resideOutsideOfPackage("io.pitrconsole.ui..")
            .and().doNotHaveFullyQualifiedName("io.pitrconsole.Main")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "io.pitrconsole.ui..")
            .because("only the ui package may use JavaFX; services and the CLI run headless");

    // Main hands System.out/err to the CLI as writers; it prints nothing itself.
    @ArchTest
    static final ArchRule onlyTheCliWritesToStandardStreams = noClasses()
            .that().resideOutsideOfPackage("io.pitrconsole.cli..")
            .and().doNotHaveFullyQualifiedName("io.pitrconsole.Main")
            .should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("everything else logs through SLF4J");
}
