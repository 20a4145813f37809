package dev.recordings.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * A feature's {@code rest} package is its HTTP edge and nothing else's library: what another feature needs of it
 * (JSON writers, parameter rules) lives in the feature's own package. The package cycle test compares top-level
 * packages only, so it cannot see this.
 */
class RestPackagesTest {

    private static final ArchCondition<JavaClass> USED_ONLY_WITHIN_THEIR_FEATURE =
            new ArchCondition<>("be used only by classes of their own feature") {
                @Override
                public void check(JavaClass rest, ConditionEvents events) {
                    String feature = rest.getPackageName().substring(0, rest.getPackageName().indexOf(".rest"));
                    for (Dependency dependency : rest.getDirectDependenciesToSelf()) {
                        String origin = dependency.getOriginClass().getPackageName();
                        if (!origin.equals(feature) && !origin.startsWith(feature + ".")) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            };

    @Test
    void aRestPackageIsUsedOnlyWithinItsFeature() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.recordings");
        classes().that().resideInAPackage("dev.recordings..rest..").should(USED_ONLY_WITHIN_THEIR_FEATURE)
                .check(classes);
    }
}
