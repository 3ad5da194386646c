/** packlab's own settings ({@code packlab.toml}): which base images docker build steps use. */
package io.packlab.config;
