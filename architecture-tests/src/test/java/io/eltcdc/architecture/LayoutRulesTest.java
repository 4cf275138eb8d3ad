package io.eltcdc.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout's rules (DESIGN.md, "Repository layout"), checked on every module's main classes:
 *
 * <ul>
 *   <li>the Flink glue (the sink) and the job know destinations only through their SPI;
 *   <li>destinations know nothing of Flink's streaming API, nor of each other;
 *   <li>each source database is reached only through the one registry of source kinds.
 * </ul>
 */
class LayoutRulesTest {
    /** The destination modules' packages (one per destination type), besides the SPI and shared SQL. */
    private static final List<String> DESTINATIONS =
            List.of("duckdb", "postgres", "s3", "snowflake", "redshift", "bigquery");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.eltcdc");
    }

    @Test
    void theSinkUsesDestinationsOnlyThroughTheirSpi() {
        noClasses()
                .that()
                .resideInAPackage("io.eltcdc.sink..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("io.eltcdc.destination..").and(not(resideInAPackage("io.eltcdc.destination"))))
                .because("the sink is Flink glue: what a load means is the destinations' business")
                .check(classes);
    }

    @Test
    void theJobNamesNoDestination() {
        noClasses()
                .that()
                .resideInAPackage("io.eltcdc.job..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("io.eltcdc.destination..").and(not(resideInAPackage("io.eltcdc.destination"))))
                .because("destinations are plugins found with ServiceLoader; a new one needs no change in the job")
                .check(classes);
    }

    @Test
    void destinationsDoNotUseFlinksStreamingApi() {
        noClasses()
                .that()
                .resideInAPackage("io.eltcdc.destination..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.flink.streaming..",
                        "org.apache.flink.api.connector.sink2..",
                        "org.apache.flink.api.connector.source..",
                        "org.apache.flink.runtime..",
                        "io.eltcdc.sink..",
                        "io.eltcdc.source..",
                        "io.eltcdc.job..")
                .because("a destination loads files; the Flink job around it may change without it")
                .check(classes);
    }

    @Test
    void destinationsDoNotUseEachOther() {
        for (String destination : DESTINATIONS) {
            String[] others = DESTINATIONS.stream()
                    .filter(d -> !d.equals(destination))
                    .map(d -> "io.eltcdc.destination." + d + "..")
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage("io.eltcdc.destination." + destination + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .because("what two destinations share belongs in destinations/api or destinations/sql")
                    .check(classes);
        }
    }

    @Test
    void theDestinationSpiAndSharedSqlNameNoDestination() {
        String[] destinations = DESTINATIONS.stream()
                .map(d -> "io.eltcdc.destination." + d + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.eltcdc.destination", "io.eltcdc.destination.staged..", "io.eltcdc.destination.sql..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(destinations)
                .check(classes);
    }

    @Test
    void sourceDatabasesDoNotUseEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.eltcdc.source.postgres..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.eltcdc.source.mysql..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.eltcdc.source.mysql..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.eltcdc.source.postgres..")
                .check(classes);
    }

    @Test
    void sourceDatabasesAreReachedOnlyThroughTheRegistryOfSourceKinds() {
        noClasses()
                .that(resideInAnyPackage(
                                "io.eltcdc.source.snapshot..",
                                "io.eltcdc.source.planner..",
                                "io.eltcdc.source.log..",
                                "io.eltcdc.source.dialect..",
                                "io.eltcdc.job..")
                        .and(not(com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName("SourceKinds"))))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.eltcdc.source.postgres..", "io.eltcdc.source.mysql..")
                .because("a database's specifics come from its SourceKind, found through SourceKinds")
                .check(classes);
    }

    @Test
    void modelAndConfigDependOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAnyPackage("io.eltcdc.model..", "io.eltcdc.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.eltcdc.source..",
                        "io.eltcdc.staging..",
                        "io.eltcdc.sink..",
                        "io.eltcdc.destination..",
                        "io.eltcdc.job..")
                .check(classes);
    }
}
