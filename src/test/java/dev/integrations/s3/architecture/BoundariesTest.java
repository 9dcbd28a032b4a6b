package dev.integrations.s3.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the layout (why, in the DESIGN.md of controller/integration,
 * controller/store and informers under src/main/java/dev/integrations/s3), checked on the compiled
 * main classes:
 *
 * <ul>
 *   <li>one package per controller under {@code controller/}: controllers do not import each other,
 *       only {@code controller.common}, which imports no controller;
 *   <li>every cache and memory decision in {@code informers/}, which knows the API (and the output
 *       Secret's key names) and nothing of controllers, storage or verification;
 *   <li>pure packages (naming, policy, secret, status, store, ownership, and the integration
 *       controller's decision, controller.integration.plan) do no I/O;
 *   <li>the storage adapters and the prober know nothing of custom resources or controllers;
 *   <li>the consumer API stands on the API alone; the API holds data only;
 *   <li>nothing below the controllers reaches up into them.
 * </ul>
 */
class BoundariesTest {
  static final String ROOT = "dev.integrations.s3";
  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  /** Network, files, Kubernetes and storage clients: what "I/O" means here. */
  static final String[] IO = {
    "java.net..",
    "java.nio.file..",
    "io.fabric8.kubernetes.client..",
    "okhttp3..",
    "io.minio..",
    "io.javaoperatorsdk.."
  };

  /**
   * The operator's packages below the controllers, but the API and the two the consumer API may use
   * too (naming, and itself).
   */
  static final String[] BELOW_CONTROLLERS = {
    "config",
    "informers",
    "metrics",
    "ownership",
    "policy",
    "secret",
    "status",
    "storage",
    "store",
    "verify"
  };

  static String[] with(String[] names, String... more) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(names));
    all.addAll(java.util.List.of(more));
    return all.toArray(String[]::new);
  }

  /** {@code ROOT.<name>..} for each name. */
  static String[] packages(String first, String... more) {
    java.util.List<String> all = new java.util.ArrayList<>();
    all.add(ROOT + "." + first + "..");
    for (String m : more) {
      all.add(ROOT + "." + m + "..");
    }
    return all.toArray(String[]::new);
  }

  static final String[] CONTROLLERS = {
    ROOT + ".controller.integration..",
    ROOT + ".controller.store..",
    ROOT + ".controller.accesspolicy.."
  };

  @Test
  void pureDomainPackagesDoNoIo() {
    noClasses()
        .that()
        .resideInAnyPackage(
            ROOT + ".controller.integration.plan..",
            ROOT + ".naming..",
            ROOT + ".ownership..",
            ROOT + ".policy..",
            ROOT + ".secret..",
            ROOT + ".status..",
            ROOT + ".store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(IO)
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .check(classes);
  }

  @Test
  void theIntegrationControllerImportsNoOtherController() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".controller.integration..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".controller.store..", ROOT + ".controller.accesspolicy..")
        .check(classes);
  }

  /**
   * The integration controller's facets: the decision ({@code plan}, pure) knows neither the
   * coordinator nor the dependents, and the dependents know the plan but not the coordinator.
   */
  @Test
  void theDecisionKnowsNeitherTheCoordinatorNorTheDependents() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".controller.integration.plan..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".controller.integration", ROOT + ".controller.integration.dependent..")
        .check(classes);
  }

  @Test
  void theDependentsDoNotKnowTheCoordinator() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".controller.integration.dependent..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".controller.integration")
        .check(classes);
  }

  @Test
  void theStoreControllerImportsNoOtherController() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".controller.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".controller.integration..", ROOT + ".controller.accesspolicy..")
        .check(classes);
  }

  @Test
  void theAccessPolicyControllerImportsNoOtherController() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".controller.accesspolicy..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".controller.integration..", ROOT + ".controller.store..")
        .check(classes);
  }

  @Test
  void whatControllersShareImportsNoController() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".controller.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CONTROLLERS)
        .check(classes);
  }

  @Test
  void cachesKnowTheApiAndNothingOfControllersStorageOrVerification() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".informers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".controller..",
            ROOT + ".consumer..",
            ROOT + ".metrics..",
            ROOT + ".ownership..",
            ROOT + ".policy..",
            ROOT + ".status..",
            ROOT + ".storage..",
            ROOT + ".store..",
            ROOT + ".verify..")
        .check(classes);
  }

  @Test
  void nothingBelowTheControllersReachesUpIntoThem() {
    noClasses()
        .that()
        .resideInAnyPackage(packages("api", with(BELOW_CONTROLLERS, "consumer", "naming")))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".controller..")
        .check(classes);
  }

  @Test
  void storageAdaptersKnowNoCustomResourceOrController() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".api..", ROOT + ".controller..", ROOT + ".informers..", "io.javaoperatorsdk..")
        .check(classes);
  }

  @Test
  void verifyReturnsItsOwnResultsNotStatusClasses() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".verify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".api..", ROOT + ".controller..", "io.javaoperatorsdk..")
        .check(classes);
  }

  @Test
  void theConsumerApiImportsNothingOfTheOperatorButTheApi() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".consumer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages("controller", BELOW_CONTROLLERS))
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.javaoperatorsdk..")
        .check(classes);
  }

  /** The API classes extend fabric8's CustomResource (in its client package) and nothing more. */
  @Test
  void theApiHoldsDataOnly() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.net..",
            "java.nio.file..",
            "io.fabric8.kubernetes.client.dsl..",
            "io.fabric8.kubernetes.client.informers..",
            "okhttp3..",
            "io.minio..",
            "io.javaoperatorsdk..")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".controller..", ROOT + ".informers..", ROOT + ".storage..", ROOT + ".verify..")
        .check(classes);
  }
}
