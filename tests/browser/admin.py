"""Signing in to the Wagtail admin as one of the demo users."""

import re

from playwright.sync_api import expect

from home import demo_data


def demo_password(username):
    for user in demo_data.USERS:
        if user[0] == username:
            return user[1]
    raise AssertionError(f"the demo content has a user {username!r}")


def sign_in(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(demo_password(username))
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page, f"{username} signed in to the admin").not_to_have_url(
        re.compile(r"/admin/login/")
    )
