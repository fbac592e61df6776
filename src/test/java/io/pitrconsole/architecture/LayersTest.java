package io.pitrconsole.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** DESIGN.md's parts and the directions between them, as written there. */
@AnalyzeClasses(packages = "io.pitrconsole", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    @ArchTest
    static final ArchRule parts = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Main").definedBy("io.pitrconsole")
            .layer("Console").definedBy("io.pitrconsole.ui..")
            .layer("Command line").definedBy("io.pitrconsole.cli..")
            .layer("Session").definedBy("io.pitrconsole.session..")
            .layer("Practice").definedBy("io.pitrconsole.practice..")
            .layer("Services").definedBy("io.pitrconsole.backup..", "io.pitrconsole.recovery..", "io.pitrconsole.archiving..",
                    "io.pitrconsole.schedule..", "io.pitrconsole.check..")
            .layer("Catalog and WAL").definedBy("io.pitrconsole.archive..", "io.pitrconsole.wal..")
            .layer("Repository kinds").definedBy("io.pitrconsole.repository.local..", "io.pitrconsole.repository.s3..",
                    "io.pitrconsole.repository.pgbackrest..")
            .layer("Encryption").definedBy("io.pitrconsole.repository.encryption..")
            .layer("Repository").definedBy("io.pitrconsole.repository")
            .layer("Profiles").definedBy("io.pitrconsole.config..")
            .layer("PostgreSQL").definedBy("io.pitrconsole.pg..")
            .layer("Core").definedBy("io.pitrconsole.core..")
            .whereLayer("Console").mayOnlyBeAccessedByLayers("Main")
            .whereLayer("Command line").mayOnlyBeAccessedByLayers("Main")
            .whereLayer("Session").mayOnlyBeAccessedByLayers("Console", "Command line", "Main")
            .whereLayer("Practice").mayOnlyBeAccessedByLayers("Session", "Console", "Command line", "Main")
            .whereLayer("Services").mayOnlyBeAccessedByLayers("Practice", "Session", "Console", "Command line", "Main")
            .whereLayer("Catalog and WAL").mayOnlyBeAccessedByLayers("Services", "Practice", "Session", "Console", "Command line", "Main")
            // the practice cluster's archive is a local directory by definition, so it may name that kind
            .whereLayer("Repository kinds").mayOnlyBeAccessedByLayers("Session", "Practice", "Main")
            // a repository's encryption is chosen where its kind is: by the session, which wraps what it opens
            .whereLayer("Encryption").mayOnlyBeAccessedByLayers("Session", "Console", "Command line", "Main")
            .whereLayer("Repository").mayOnlyBeAccessedByLayers("Repository kinds", "Encryption", "Catalog and WAL", "Services", "Practice",
                    "Session", "Console", "Command line", "Main")
            .whereLayer("Profiles").mayOnlyBeAccessedByLayers("Services", "Practice", "Session", "Console", "Command line", "Main")
            .whereLayer("PostgreSQL").mayOnlyBeAccessedByLayers("Repository kinds", "Encryption", "Repository", "Profiles", "Services", "Practice",
                    "Session", "Console", "Command line", "Main")
            .because("DESIGN.md: faces over services over the catalog, the WAL reader and the repository; only a"
                    + " repository kind touches where backups and WAL are stored, and only the session picks one");

    @ArchTest
    static final ArchRule onlyTheLocalKindKnowsWhereFilesSitInAnArchiveDirectory = noClasses()
            .that().resideOutsideOfPackage("io.pitrconsole.repository.local..")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.pitrconsole.repository.local.ArchiveLayout")
            .because("DESIGN.md: only a repository kind touches the files of an archive");
}
