def test_programme_and_round_pages_render(client, programme, open_round):
    response = client.get(programme.url)
    assert response.status_code == 200
    assert 'lang="nb"' in response.content.decode()
    response = client.get(open_round.url)
    assert response.status_code == 200
    assert open_round.title in response.content.decode()
