package io.packlab.check;

import java.util.List;

/**
 * One verb of the check language (the first word of a check line). Adding a verb is one class and
 * one entry in {@link CheckLanguage#standard()}.
 */
public interface CheckVerb {

    /** The first word of lines this verb parses. */
    String name();

    /** The accepted forms, one per line, shown in syntax errors and in CONTRIBUTING.md. */
    List<String> synopsis();

    /** Parses the rest of the line; the verb word itself has been consumed. */
    Check parse(Tokens tokens);
}
