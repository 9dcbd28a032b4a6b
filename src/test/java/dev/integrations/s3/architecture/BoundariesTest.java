package dev.integrations.s3.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries DESIGN.md describes, checked on the compiled main classes: pure packages
 * (naming, policy, secret, status, store) do no I/O, the MinIO adapter and the prober know nothing
 * of custom resources or reconcilers, and the resolver stands on the API alone.
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

  @Test
  void namingPolicySecretStatusAndStoreDoNoIo() {
    noClasses()
        .that()
        .resideInAnyPackage(
            ROOT + ".naming..",
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
  void minioKnowsNoCustomResourceOrReconciler() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".minio..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".api..", ROOT + ".reconciler..", "io.javaoperatorsdk..")
        .check(classes);
  }

  @Test
  void verifyReturnsItsOwnResultsNotStatusClasses() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".verify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".api..", ROOT + ".reconciler..", "io.javaoperatorsdk..")
        .check(classes);
  }

  @Test
  void resolverImportsNothingOfTheOperatorButTheApi() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".resolver..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".config..",
            ROOT + ".minio..",
            ROOT + ".policy..",
            ROOT + ".reconciler..",
            ROOT + ".secret..",
            ROOT + ".status..",
            ROOT + ".storage..",
            ROOT + ".verify..",
            "io.javaoperatorsdk..")
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
            ROOT + ".reconciler..", ROOT + ".minio..", ROOT + ".storage..", ROOT + ".verify..")
        .check(classes);
  }
}
