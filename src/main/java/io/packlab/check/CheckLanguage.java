package io.packlab.check;

import io.packlab.error.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The registry of check verbs and the parser of check lines. */
public final class CheckLanguage {

    private final Map<String, CheckVerb> verbs = new LinkedHashMap<>();

    private CheckLanguage(List<CheckVerb> verbs) {
        verbs.forEach(v -> this.verbs.put(v.name(), v));
    }

    /** The verbs lessons can use. */
    public static CheckLanguage standard() {
        return new CheckLanguage(List.of(new ImageVerb(), new SameLabelVerb(), new FileVerb(), new BuildpackVerb(),
                new HttpVerb(), new RegistryVerb()));
    }

    public List<CheckVerb> verbs() {
        return List.copyOf(verbs.values());
    }

    /** Parses one line; empty for blank and comment lines. */
    public Optional<Check> parse(String line, SourceLocation location) {
        Tokens tokens = Tokens.of(line, location);
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        String word = tokens.next("a verb");
        CheckVerb verb = verbs.get(word);
        if (verb == null) {
            throw new CheckSyntaxException(location, "unknown check verb `" + word + "` in `" + tokens.source()
                    + "`. A check starts with one of: " + String.join(", ", verbs.keySet())
                    + " (their forms are listed in CONTRIBUTING.md, section \"Check verbs\").");
        }
        return Optional.of(verb.parse(tokens));
    }

    /** Every accepted form, indented, one per line. */
    public String synopsis() {
        return verbs.values().stream().flatMap(v -> v.synopsis().stream())
                .map(s -> "    " + s).collect(Collectors.joining("\n"));
    }
}
