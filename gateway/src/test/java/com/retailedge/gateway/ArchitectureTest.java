package com.retailedge.gateway;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The import rules of docs/architecture.md ("Rules"), held against the compiled classes. */
class ArchitectureTest {
    private static final String ROOT = "com.retailedge.gateway";
    /** Features: what the store does. They reach the adapters only through spi. */
    private static final String[] FEATURES = packages(
            "buttons", "members", "notices", "labels", "picking", "stock", "sales", "replenishment", "barcode");
    /** Adapters and infrastructure: how the gateway talks and stores. They know no feature. */
    private static final String[] ADAPTERS = packages("api", "cloud", "ingest", "device", "ops");
    /** What every part may use: storage, the event queue, the spi, config, the domain, security material, threads. */
    private static final String[] CORE =
            packages("store", "outbox", "spi", "config", "domain", "security", "concurrent");

    private static JavaClasses main;
    private static JavaClasses tests;

    @BeforeAll
    static void importClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packages_have_no_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void the_lowest_layers_depend_on_nothing_above_them() {
        onlyOnGateway("domain").check(main);
        onlyOnGateway("concurrent").check(main);
        onlyOnGateway("config", "domain").check(main);
        onlyOnGateway("store", "config", "domain", "concurrent").check(main);
        onlyOnGateway("spi", "store", "domain").check(main);
    }

    @Test
    void features_reach_adapters_only_through_the_spi() {
        noClasses()
                .that()
                .resideInAnyPackage(FEATURES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(ADAPTERS, packages("app")))
                .check(main);
    }

    @Test
    void adapters_and_core_know_no_feature() {
        noClasses()
                .that()
                .resideInAnyPackage(concat(ADAPTERS, CORE))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FEATURES)
                .check(main);
    }

    @Test
    void only_app_builds_the_gateway() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".app..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".app..")
                .check(main);
    }

    @Test
    void tests_that_start_a_gateway_or_a_broker_are_tagged_slow() {
        java.util.Set<String> starters =
                java.util.Set.of("InProcessGateway", "GatewayProcess", "Mosquitto", "GatewayCli").stream()
                        .map(n -> ROOT + ".testsupport." + n)
                        .collect(java.util.stream.Collectors.toSet());
        classes()
                .that()
                .haveSimpleNameEndingWith("Test")
                .and(describe(
                        "start a gateway, a broker or a process",
                        (JavaClass c) -> c.getDirectDependenciesFromSelf().stream()
                                .anyMatch(d ->
                                        starters.contains(d.getTargetClass().getName()))))
                .should()
                .beAnnotatedWith(describe(
                        "@Tag(\"slow\")",
                        (JavaAnnotation<?> a) -> a.getRawType().isEquivalentTo(Tag.class)
                                && "slow".equals(a.get("value").orElse(null))))
                .check(tests);
    }

    private static com.tngtech.archunit.lang.ArchRule onlyOnGateway(String pkg, String... allowed) {
        return classes()
                .that()
                .resideInAPackage(ROOT + "." + pkg + "..")
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                        .or(resideInAnyPackage(concat(packages(pkg), packages(allowed)))));
    }

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(n -> ROOT + "." + n + "..").toArray(String[]::new);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
