package io.packlab.check;

import io.packlab.error.SourceLocation;
import java.util.Optional;

/** One assertion about engine state, parsed from one line of a {@code check} block. */
public interface Check {

    /** Where the check was written. */
    SourceLocation location();

    /** The line as the author wrote it (without its hint), for reports. */
    String source();

    /** The hint written on the check line itself ({@code # hint: ...}), shown when it fails. */
    Optional<String> hint();

    CheckResult evaluate(CheckContext context);
}
