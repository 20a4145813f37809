package dev.recordings.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The service's packages depend on each other in one direction: each can be read, and changed, from below. */
class PackageCyclesTest {

    @Test
    void thePackagesFormNoCycle() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.recordings");
        slices().matching("dev.recordings.(*)..").should().beFreeOfCycles().check(classes);
    }
}
