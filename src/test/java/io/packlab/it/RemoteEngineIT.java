package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.Reporter;
import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.support.TestCertificates;
import io.packlab.support.TestCertificates.Issued;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote engine: a real dockerd of the test's own that listens with TLS (--tlsverify, certificates
 * made by the test) on a loopback address other than 127.0.0.1, which packlab reaches by a host name
 * (a hosts file for packlab's JVM maps it). Its published ports are bound to that address alone, so
 * the http check passes only if it asks the engine's host rather than this machine's 127.0.0.1. A
 * docker build, the built-in platform's builder create and build, layers, the http check and doctor
 * run through packlab over TLS; a client certificate of another authority is one paragraph, exit 2.
 */
class RemoteEngineIT {

    private static final String NAME = "packlab-remote-engine";
    private static final List<String> BASES = List.of("packlab-base/debian:bookworm-slim",
            "packlab-base/distroless-python3:debian12");
    private static final String LABEL = "packlab-it-remote";

    @TempDir
    Path dir;

    @Test
    void theTutorialsPlatformWorksOnATlsEngineReachedByItsName() throws Exception {
        DockerSupport.requireDocker();
        String address = "127.0.0." + (2 + new java.util.Random().nextInt(250));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            port = probe.getLocalPort();
        }
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Issued ca = TestCertificates.authority("packlab remote CA", "RSA");
        ca.write(certs.resolve("ca.pem"), dir.resolve("ca-key.pem"), true);
        TestCertificates.issue(ca, NAME, true, List.of(NAME, "localhost", "127.0.0.1", address), "RSA")
                .write(dir.resolve("server-cert.pem"), dir.resolve("server-key.pem"), true);
        TestCertificates.issue(ca, "learner", false, List.of(), "RSA")
                .write(certs.resolve("cert.pem"), certs.resolve("key.pem"), false);
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n" + address + " " + NAME + "\n");

        try (ScratchDaemon d = ScratchDaemon.startWith(dir.resolve("d"), List.of("-H", "tcp://" + address + ":" + port,
                "--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(), "--tlscert",
                dir.resolve("server-cert.pem").toString(), "--tlskey", dir.resolve("server-key.pem").toString(),
                "--ip", address))) {
            Map<String, String> tls = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString());
            Map<String, String> env = new HashMap<>(tls);
            env.put("DOCKER_HOST", "tcp://" + NAME + ":" + port);
            env.put("JDK_JAVA_OPTIONS", "-Djdk.net.hosts.file=" + hosts);
            env.put("PACKLAB_BASES", "local");
            Map<String, String> byAddress = new HashMap<>(tls);
            byAddress.put("DOCKER_HOST", "tcp://" + address + ":" + port);
            copyInOverTls(byAddress);
            String[] pl = {"--workdir=" + dir, "--engine", "builtin"};

            // docker build over TLS: the context goes up, a RUN runs in a build container
            Path ctx = Files.createDirectories(dir.resolve("ctx"));
            Files.writeString(ctx.resolve("hello.txt"), "hello over TLS\n");
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + BASES.get(0) + "\nCOPY hello.txt /hello.txt\n"
                    + "RUN cat /hello.txt\n");
            Launcher.Result build = Launcher.run(env, Launcher.cat(pl, "docker", "build", "-t", "remote-hello:1",
                    ctx.toString()));
            assertEquals(0, build.code(), build.all());
            assertTrue(build.all().contains("hello over TLS"), build.all());

            // the built-in platform: builder create and build (containers, copies in and out, exec, load)
            Path home = Launcher.HOME;
            Files.writeString(dir.resolve("builder.toml"), DockerSupport.builderToml(home.resolve("buildpacks/python"),
                    "remote-stack:build", "remote-stack:run"));
            Launcher.Result builder = Launcher.run(env, Launcher.cat(pl, "pack", "builder", "create",
                    "remote-builder", "--config", dir.resolve("builder.toml").toString()));
            assertEquals(0, builder.code(), builder.all());
            Path app = dir.resolve("app");
            DockerSupport.copyTree(home.resolve("sample-app"), app);
            Launcher.Result packed = Launcher.run(env, Launcher.cat(pl, "pack", "build", "remote-app", "--builder",
                    "remote-builder", "--path", app.toString()));
            assertEquals(0, packed.code(), packed.all());

            // a lesson of the test's: the layers step, then the http check, whose port is published on the
            // engine's address only
            Files.createDirectories(dir.resolve("lessons"));
            Files.writeString(dir.resolve("lessons/01-remote.md"), "---\nid: remote\n---\n# Remote\n\n```sh\n"
                    + "layers remote-app\n```\n\n```check\nimage remote-app exists\n"
                    + "http remote-app port 8080 status 200 contains \"Hello, Cloud Native Buildpacks!\"\n```\n");
            String[] lessons = Launcher.cat(pl, "--lessons", dir.resolve("lessons").toString());
            Launcher.Result run = Launcher.run(env, Launcher.cat(lessons, "run", "remote"));
            assertEquals(0, run.code(), run.all());
            assertTrue(run.all().contains("run image") && run.all().contains("diff ID"), "the layers step: " + run.all());
            assertTrue(run.all().contains("Hello, Cloud Native Buildpacks!"), run.all());

            Launcher.Result doctor = Launcher.run(env, Launcher.cat(pl, "doctor"));
            assertTrue(doctor.all().contains("remote engine at tcp://" + NAME + ":" + port + ": TLS, the engine's"
                    + " certificate verified against " + certs.resolve("ca.pem") + " (CN=packlab remote CA), client"
                    + " certificate " + certs.resolve("cert.pem") + " (CN=learner"), doctor.all());

            // save over TLS: the app image comes back as a docker save archive
            try (DockerEngine remote = DockerEngine.fromEnvironment(byAddress);
                    InputStream saved = remote.saveImage("remote-app")) {
                byte[] all = saved.readAllBytes();
                assertTrue(new String(all, StandardCharsets.ISO_8859_1).contains("manifest.json"), "a save archive");
            }

            // a client certificate of another authority: the engine refuses it, one paragraph
            Path stranger = Files.createDirectories(dir.resolve("stranger"));
            Files.copy(certs.resolve("ca.pem"), stranger.resolve("ca.pem"));
            Issued otherCa = TestCertificates.authority("someone else's CA", "RSA");
            TestCertificates.issue(otherCa, "stranger", false, List.of(), "RSA")
                    .write(stranger.resolve("cert.pem"), stranger.resolve("key.pem"), true);
            Map<String, String> strangerEnv = new HashMap<>(env);
            strangerEnv.put("DOCKER_CERT_PATH", stranger.toString());
            Launcher.Result refused = Launcher.run(strangerEnv, Launcher.cat(lessons, "check", "remote"));
            assertEquals(2, refused.code(), refused.all());
            String err = refused.err();
            assertTrue(err.contains("The Docker engine at tcp://" + NAME + ":" + port + " ended the TLS handshake"),
                    err);
            assertTrue(err.contains("it refused your client certificate " + stranger.resolve("cert.pem")
                    + " (CN=stranger, issued by CN=someone else's CA)"), err);
            assertEquals(1, err.lines().filter(l -> l.startsWith("error: ")).count(), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        }
    }

    /**
     * The bases, a stack built from them and packlab's launcher image, made on the shared engine (the
     * scratch engine has no network for apt-get) and loaded into the remote one over TLS.
     */
    private void copyInOverTls(Map<String, String> remoteEnv) throws Exception {
        Path home = Launcher.HOME;
        try (DockerEngine shared = DockerSupport.engine(); DockerEngine remote = DockerEngine.fromEnvironment(remoteEnv)) {
            try {
                for (String image : List.of("build", "run")) {
                    shared.build(new BuildRequest(home.resolve("stacks/distroless-python/" + image), Optional.empty(),
                            List.of("remote-stack:" + image),
                            Map.of("BASE_IMAGE", BASES.get(image.equals("build") ? 0 : 1)),
                            Map.of(Engine.LESSON_LABEL, LABEL), false, false), BuildListener.silent(),
                            Cancellation.none());
                }
                String launcher = LifecycleImage.ensure(shared, LifecycleImage.Base.auto(), Reporter.quiet(),
                        Cancellation.none());
                try (InputStream tar = shared.saveImages(List.of(BASES.get(0), "remote-stack:build",
                        "remote-stack:run", launcher))) {
                    remote.loadImage(tar);
                }
            } finally {
                shared.listImages(Engine.labelFilter(Engine.LESSON_LABEL, LABEL))
                        .forEach(i -> shared.removeImage(i.id(), true));
            }
            assertTrue(remote.inspectImage("remote-stack:run").isPresent(), "loaded over TLS");
        }
    }
}
